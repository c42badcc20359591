/**
 * A limit of `limit` requests per `windowMs` for one identity on the routes that use the policy. The window
 * is fixed and starts at an identity's first request (rate-limiter-flexible's "enhanced fixed window"), so
 * resets are spread over time instead of all falling on the minute.
 */
export interface RateLimitPolicy {
  /** Names the policy in the `RateLimit-Policy` and `RateLimit` headers and in store keys; printable ASCII. */
  readonly name: string;
  /** Requests one identity may make per window; a whole number of at least 1. */
  readonly limit: number;
  /** Length of the window in milliseconds; whole seconds (the store and the headers count in seconds), at least 1 000. */
  readonly windowMs: number;
}

/** Why a request was refused: `limit` (answer 429) or `store-unavailable` (fail-closed with the store down: answer 503). */
export type RateLimitRefusal = 'limit' | 'store-unavailable';

/** The outcome of one {@link RateLimiter.consume}: whether the request may pass, and the headers to answer with. */
export interface RateLimitDecision {
  readonly allowed: boolean;
  /** Set only when refused: `limit` (429) or `store-unavailable` (503, the store failed and `onStoreError` is `closed`). */
  readonly reason?: RateLimitRefusal;
  /** True when the store failed and the decision was made without it (let through or refused per `onStoreError`). */
  readonly degraded: boolean;
  /** The policy's limit. */
  readonly limit: number;
  /** Requests left in the current window; 0 when refused; the full limit when `degraded` and let through (unknown). */
  readonly remaining: number;
  /** Milliseconds until the window resets; when `degraded`, the retry hint (1 000 ms) or 0. */
  readonly resetMs: number;
  /**
   * Headers to send on every response of the limited route: `RateLimit-Policy` always, `RateLimit` when the
   * store answered (draft-ietf-httpapi-ratelimit-headers), and `Retry-After` (whole seconds, at least 1) when refused.
   */
  readonly headers: Readonly<Record<string, string>>;
}

const PRINTABLE_ASCII = /^[\x20-\x7e]+$/;

/** Throws a `RangeError` naming the policy and the fix when it cannot be enforced as written. */
export function assertValidPolicy(policy: RateLimitPolicy): void {
  const name = JSON.stringify(policy.name);
  if (typeof policy.name !== 'string' || !PRINTABLE_ASCII.test(policy.name)) {
    throw new RangeError(`rate limit policy ${name}: the name must be non-empty printable ASCII (it is sent in the RateLimit-Policy header)`);
  }
  if (!Number.isSafeInteger(policy.limit) || policy.limit < 1) {
    throw new RangeError(`rate limit policy ${name}: limit must be a whole number of at least 1, got ${policy.limit}`);
  }
  if (!Number.isSafeInteger(policy.windowMs) || policy.windowMs < 1_000 || policy.windowMs % 1_000 !== 0) {
    throw new RangeError(`rate limit policy ${name}: windowMs must be whole seconds of at least 1000 ms, got ${policy.windowMs} (write e.g. window: '1m')`);
  }
}
