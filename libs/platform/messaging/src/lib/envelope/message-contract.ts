import type { z } from 'zod';

/**
 * What a contracts lib declares for one message: its name, its schema version and the zod schema of its
 * payload. Structural, so `{ type, version, schema } as const` objects satisfy it without importing this lib.
 */
export interface MessageContract<T = unknown> {
  readonly type: string;
  readonly version: number;
  readonly schema: z.ZodType<T>;
}

/** The parsed payload type of a contract. */
export type PayloadOf<C extends MessageContract> = C extends MessageContract<infer T> ? T : never;
