import type { RateLimitPolicy } from './rate-limit.policy';

/** The `RateLimit-Policy` header (draft-ietf-httpapi-ratelimit-headers). */
export const RATE_LIMIT_POLICY_HEADER = 'RateLimit-Policy';
/** The `RateLimit` header (draft-ietf-httpapi-ratelimit-headers). */
export const RATE_LIMIT_HEADER = 'RateLimit';
/** The `Retry-After` header (RFC 9110), in whole seconds. */
export const RETRY_AFTER_HEADER = 'Retry-After';

/** The policy name as a structured-field string (RFC 9651 sf-string): quoted, `\` and `"` escaped. */
export function sfString(value: string): string {
  return `"${value.replace(/[\\"]/g, '\\$&')}"`;
}

/**
 * The `RateLimit-Policy` value of a policy: `"name";q=<limit>;w=<window seconds>`. Computed once per policy,
 * not per request.
 */
export function policyFieldValue(policy: RateLimitPolicy): string {
  return `${sfString(policy.name)};q=${policy.limit};w=${policy.windowMs / 1_000}`;
}

/** Whole seconds until `ms` from now have passed, rounded up so a client never retries early. */
export function wholeSeconds(ms: number): number {
  return Math.ceil(Math.max(0, ms) / 1_000);
}
