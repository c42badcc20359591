export {
  checkRateLimitConfig,
  type RateLimitConfig,
  rateLimitConfigSchema,
  rateLimitPoliciesSchema,
  type RateLimitPolicyConfig,
  rateLimitPolicyConfigSchema,
  rateLimitPolicyNameSchema,
  rateLimitWindowSchema,
} from './lib/rate-limit.config';
export { RATE_LIMIT_HEADER, RATE_LIMIT_POLICY_HEADER, RETRY_AFTER_HEADER } from './lib/rate-limit.headers';
export { type RateLimitDecision, type RateLimitPolicy, type RateLimitRefusal } from './lib/rate-limit.policy';
export { createRateLimitRedis, type RateLimitRedisOptions } from './lib/rate-limit.redis';
export { RateLimitStoreError } from './lib/rate-limit-store.error';
export { DEFAULT_RATE_LIMIT_TIMEOUT_MS, RateLimiter, type RateLimiterOptions, type StoreErrorMode } from './lib/rate.limiter';
