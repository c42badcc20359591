import type { RateLimiterRes } from 'rate-limiter-flexible';
import { policyFieldValue, RATE_LIMIT_HEADER, RATE_LIMIT_POLICY_HEADER, RETRY_AFTER_HEADER, sfString, wholeSeconds } from './rate-limit.headers';
import type { RateLimitDecision, RateLimitPolicy } from './rate-limit.policy';

/** How long a client refused because the store is down is told to wait. */
const STORE_DOWN_RETRY_MS = 1_000;

/**
 * Everything about one policy that does not change per request: its header prefixes and the two decisions
 * a store failure produces, built once so the hot path allocates only the decision it returns.
 */
export class PolicyDecisions {
  readonly policyField: string;
  /** The store failed and `onStoreError` is `open`. */
  readonly degradedAllowed: RateLimitDecision;
  /** The store failed and `onStoreError` is `closed`. */
  readonly degradedRefused: RateLimitDecision;
  private readonly rateLimitPrefix: string;

  constructor(readonly policy: RateLimitPolicy) {
    this.policyField = policyFieldValue(policy);
    this.rateLimitPrefix = `${sfString(policy.name)};r=`;
    this.degradedAllowed = Object.freeze({
      allowed: true,
      degraded: true,
      limit: policy.limit,
      remaining: policy.limit,
      resetMs: 0,
      headers: Object.freeze({ [RATE_LIMIT_POLICY_HEADER]: this.policyField }),
    });
    this.degradedRefused = Object.freeze({
      allowed: false,
      reason: 'store-unavailable',
      degraded: true,
      limit: policy.limit,
      remaining: 0,
      resetMs: STORE_DOWN_RETRY_MS,
      headers: Object.freeze({ [RATE_LIMIT_POLICY_HEADER]: this.policyField, [RETRY_AFTER_HEADER]: String(wholeSeconds(STORE_DOWN_RETRY_MS)) }),
    });
  }

  /** The store counted the request within the limit. */
  allowed(res: RateLimiterRes): RateLimitDecision {
    const resetMs = Math.max(0, res.msBeforeNext);
    return {
      allowed: true,
      degraded: false,
      limit: this.policy.limit,
      remaining: res.remainingPoints,
      resetMs,
      headers: {
        [RATE_LIMIT_POLICY_HEADER]: this.policyField,
        [RATE_LIMIT_HEADER]: `${this.rateLimitPrefix}${res.remainingPoints};t=${wholeSeconds(resetMs)}`,
      },
    };
  }

  /** The store counted the request over the limit. */
  refused(res: RateLimiterRes): RateLimitDecision {
    const resetMs = Math.max(0, res.msBeforeNext);
    const seconds = Math.max(1, wholeSeconds(resetMs));
    return {
      allowed: false,
      reason: 'limit',
      degraded: false,
      limit: this.policy.limit,
      remaining: 0,
      resetMs,
      headers: {
        [RATE_LIMIT_POLICY_HEADER]: this.policyField,
        [RATE_LIMIT_HEADER]: `${this.rateLimitPrefix}0;t=${seconds}`,
        [RETRY_AFTER_HEADER]: String(seconds),
      },
    };
  }
}
