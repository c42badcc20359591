import type { UpstreamAnswer } from '../upstream-call';
import type { Attempt } from './exchange';

/**
 * One step of a call (Go kit's `endpoint.Endpoint`): takes an attempt and answers with the upstream's
 * answer as a value, whatever its status; rejects only when there is no answer (unreachable, timed out,
 * refused by a breaker or bulkhead, cancelled).
 */
export type Endpoint = (attempt: Attempt) => Promise<UpstreamAnswer>;

/** Wraps an endpoint with one concern (Go kit's `endpoint.Middleware`). */
export type Middleware = (next: Endpoint) => Endpoint;

/**
 * Composes `middlewares` around `endpoint`, the first outermost (Go kit's `endpoint.Chain`); `undefined`
 * entries, parts a client was not configured with, are skipped. Done once per client, never per call.
 */
export function chain(middlewares: ReadonlyArray<Middleware | undefined>, endpoint: Endpoint): Endpoint {
  return middlewares.reduceRight<Endpoint>((next, middleware) => (middleware ? middleware(next) : next), endpoint);
}

/** Lets a discarded answer's body drain (keeping its keep-alive socket), swallowing late errors. */
export function discard(answer: UpstreamAnswer): void {
  answer.body.on('error', ignore);
  answer.body.resume();
}

function ignore(): void {
  // A discarded body's error concerns no one.
}
