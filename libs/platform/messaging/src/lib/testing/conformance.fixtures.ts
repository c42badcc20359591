import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { createEnvelope, type Envelope } from '../envelope/envelope';
import type { MessageContract } from '../envelope/message-contract';

/** Payload of the messages the conformance suites send. */
export interface Tick {
  n: number;
}

/** A fresh contract (and group prefix) per test, so broker backends never see another test's messages. */
export function tickContract(): MessageContract<Tick> {
  return { type: `conformance.tick-${randomUUID()}`, version: 1, schema: z.object({ n: z.number().int() }) };
}

export function tick(contract: MessageContract<Tick>, n: number, key?: string): Envelope<Tick> {
  return createEnvelope(contract, { n }, { producer: 'conformance', key });
}

/** A promise with its resolve function, to hold a handler open. */
export function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}
