export { AdaptiveLimiter, type AdaptiveLimiterOptions } from './lib/adaptive.limiter';
export { BreakerRegistry, RECOMMENDED_INSTANCE_BREAKER } from './lib/breaker.registry';
export { type BreakerPermit, CircuitBreaker } from './lib/circuit.breaker';
export { CircuitBreakerRegistry } from './lib/circuit-breaker.registry';
export { DEADLINE_HEADER, Deadline } from './lib/deadline';
export { DeadlineStore } from './lib/deadline.store';
export { backoffDelay, type BackoffOptions, exponentialBackoff, type Jitter, type Rng } from './lib/exponential.backoff';
export { isCancellation, isFault, isRetryableFault } from './lib/faults';
export { InstanceCircuitOpenError } from './lib/instance-circuit-open.error';
export { type HedgeContext, type HedgeOptions, hedge } from './lib/hedge';
export { PermitBulkhead } from './lib/permit.bulkhead';
export { LatencyTracker, type LatencyTrackerOptions } from './lib/latency.tracker';
export { policyFor, RECOMMENDED_UPSTREAM_POLICY, type UpstreamContext, type UpstreamPolicy, type UpstreamPolicyOptions } from './lib/policy-for';
export {
  type ResilienceConfig,
  resilienceConfigSchema,
  type UpstreamPolicyOverride,
  upstreamPolicyOptions,
  upstreamPolicyOverrideSchema,
} from './lib/resilience.config';
export { ResilienceModule } from './lib/resilience.module';
export { ignoreEvents, type ResilienceEvent, type ResilienceListener } from './lib/resilience-event';
export { Resilient, type ResilientOptions, useUpstreamPolicies } from './lib/resilient.decorator';
export { reconnectDelay, type ReconnectBackoffOptions } from './lib/reconnect.backoff';
export { RetryBudget, type RetryBudgetOptions } from './lib/retry.budget';
export { type BreakerPolicyOptions, type BreakerState, type BreakerTrip, breakerPolicy, UpstreamBreakerPolicy } from './lib/upstream-breaker.policy';
export { type BulkheadPolicyOptions, bulkheadPolicy, UpstreamBulkheadPolicy } from './lib/upstream-bulkhead.policy';
export { retryPolicy, type RetryPolicyOptions, UpstreamRetryPolicy } from './lib/upstream-retry.policy';
export { type AdaptiveLimitPolicyOptions, adaptiveLimitPolicy, UpstreamAdaptiveLimitPolicy } from './lib/upstream-adaptive-limit.policy';
export { timeout, UpstreamTimeoutPolicy } from './lib/upstream-timeout.policy';
export { UpstreamPolicies, type UpstreamPoliciesOptions } from './lib/upstream.policies';
export { type FallbackOptions, withFallback } from './lib/with-fallback';
