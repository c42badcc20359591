import { z } from 'zod';
import type { RateLimitPolicy } from './rate-limit.policy';

const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const MAX_WINDOW_MS = 30 * UNIT_MS.d;
const DURATION = /^(\d+)(s|m|h|d)$/;

const limit = z.number().int().min(1).max(1_000_000_000);
const windowMs = z
  .number()
  .int()
  .min(1_000, { error: 'the window must be at least 1000 ms (1 s)' })
  .max(MAX_WINDOW_MS, { error: 'the window must be at most 30 days' })
  .refine((ms) => ms % 1_000 === 0, { error: 'the window must be whole seconds (the store and the RateLimit headers count in seconds)' });

/** A window written as a number and a unit: `30s`, `1m`, `1h`, `1d`. */
export const rateLimitWindowSchema = z
  .string()
  .regex(DURATION, { error: "write the window as a whole number and a unit s, m, h or d, e.g. '30s' or '1m'" })
  .transform((text) => {
    const [, amount, unit] = DURATION.exec(text) as RegExpExecArray;
    return Number(amount) * UNIT_MS[unit as keyof typeof UNIT_MS];
  })
  .pipe(windowMs);

/**
 * A policy as written in config, `{ limit: 100, window: '1m' }` or `{ limit: 100, windowMs: 60000 }`, parsed to
 * `{ limit, windowMs }`. Its name comes from where it is declared (see {@link rateLimitPoliciesSchema}).
 */
export const rateLimitPolicyConfigSchema = z.union([
  z.strictObject({ limit, window: rateLimitWindowSchema }).transform(({ limit, window }) => ({ limit, windowMs: window })),
  z.strictObject({ limit, windowMs }),
]);

/** One policy's config after parsing. */
export type RateLimitPolicyConfig = z.infer<typeof rateLimitPolicyConfigSchema>;

/** A policy name: letters, digits and `. _ : / -`, so it needs no escaping in headers and store keys. */
export const rateLimitPolicyNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9._:/-]{1,64}$/, { error: 'a policy name is 1 to 64 letters, digits or . _ : / -' });

/** Named policies, `{ "login": { "limit": 5, "window": "1m" } }`, parsed to {@link RateLimitPolicy} objects keyed by name. */
export const rateLimitPoliciesSchema = z
  .record(z.string(), rateLimitPolicyConfigSchema)
  .superRefine((record, ctx) => {
    // Checked here rather than as the record's key schema, whose failure zod reports only as "Invalid key in record".
    for (const name of Object.keys(record)) {
      const result = rateLimitPolicyNameSchema.safeParse(name);
      if (!result.success) ctx.addIssue({ code: 'custom', path: [name], message: `${JSON.stringify(name)}: ${result.error.issues[0]?.message}` });
    }
  })
  .transform((record): Record<string, RateLimitPolicy> =>
    Object.fromEntries(Object.entries(record).map(([name, policy]) => [name, Object.freeze({ name, ...policy })])),
  );

/**
 * The config keys of rate limiting. Parse with it directly, or spread its `shape` into a service's schema and
 * add `.superRefine(checkRateLimitConfig)` (a spread shape loses this schema's own check).
 */
export const rateLimitConfigSchema = z.object({
  /** `memory` (one process) or `redis` (shared by every gateway process). */
  RATE_LIMIT_STORE: z.enum(['memory', 'redis']).default('memory'),
  /** The Redis to count in when `RATE_LIMIT_STORE=redis`, e.g. `redis://127.0.0.1:6379`. */
  RATE_LIMIT_REDIS_URL: z.url({ protocol: /^rediss?$/, error: 'expected a redis:// or rediss:// URL' }).optional(),
  /** With the store down: `open` lets requests through, `closed` answers 503. */
  RATE_LIMIT_ON_STORE_ERROR: z.enum(['open', 'closed']).default('open'),
  /** Longest a decision may take before the store counts as failed. */
  RATE_LIMIT_TIMEOUT_MS: z.coerce.number().int().min(1).max(5_000).default(100),
}).superRefine((config, ctx) => checkRateLimitConfig(config, ctx));

/** The parsed rate-limit config keys. */
export type RateLimitConfig = z.infer<typeof rateLimitConfigSchema>;

/** Adds an issue on `RATE_LIMIT_REDIS_URL` when the Redis store is chosen without one; use as the service schema's `superRefine`. */
export function checkRateLimitConfig(config: Pick<RateLimitConfig, 'RATE_LIMIT_STORE' | 'RATE_LIMIT_REDIS_URL'>, ctx: z.RefinementCtx): void {
  if (config.RATE_LIMIT_STORE === 'redis' && !config.RATE_LIMIT_REDIS_URL) {
    ctx.addIssue({ code: 'custom', path: ['RATE_LIMIT_REDIS_URL'], message: 'required when RATE_LIMIT_STORE=redis, e.g. redis://127.0.0.1:6379' });
  }
}
