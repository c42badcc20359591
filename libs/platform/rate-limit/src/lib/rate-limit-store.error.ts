/**
 * The rate-limit store (Redis) failed or did not answer in time for one decision. Handed to
 * `RateLimiterOptions.onError`; never thrown to the caller, who gets a decision per `onStoreError` instead.
 */
export class RateLimitStoreError extends Error {
  constructor(
    /** The store, e.g. `redis 127.0.0.1:6379`. */
    readonly store: string,
    /** The policy whose decision failed. */
    readonly policy: string,
    /** What the limiter did instead: let the request through (`open`) or refuse it with 503 (`closed`). */
    readonly onStoreError: 'open' | 'closed',
    cause: unknown,
  ) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    const outcome = onStoreError === 'open' ? 'the request was let through unlimited' : 'the request was refused (503)';
    super(`rate limit store ${store} failed for policy "${policy}": ${reason}; ${outcome} (onStoreError: '${onStoreError}'). Check that ${store} is up and reachable.`, { cause });
    this.name = 'RateLimitStoreError';
  }
}
