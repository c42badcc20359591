import { type IDefaultPolicyContext, type IPolicy, wrap } from 'cockatiel';
import type { ResilienceListener } from './resilience-event';
import { type AdaptiveLimitPolicyOptions, UpstreamAdaptiveLimitPolicy } from './upstream-adaptive-limit.policy';
import { type BreakerPolicyOptions, UpstreamBreakerPolicy } from './upstream-breaker.policy';
import { type BulkheadPolicyOptions, UpstreamBulkheadPolicy } from './upstream-bulkhead.policy';
import { type RetryPolicyOptions, UpstreamRetryPolicy } from './upstream-retry.policy';
import { timeout } from './upstream-timeout.policy';

/** The context a call receives: its signal and, when retries are on, its attempt number (0 first). */
export type UpstreamContext = IDefaultPolicyContext & { readonly attempt?: number };

/** A composed resilience policy for calls to one upstream, with its parts for state and metrics. */
export interface UpstreamPolicy extends IPolicy<UpstreamContext> {
  readonly upstream: string;
  /** The policies, outermost first, as cockatiel's `wrap` keeps them. */
  readonly wrapped: readonly IPolicy<IDefaultPolicyContext, unknown>[];
  /** The same bulkhead, breaker and timeout without retry, for calls that are not safe to repeat. */
  readonly withoutRetry: IPolicy<IDefaultPolicyContext>;
  readonly bulkhead?: UpstreamBulkheadPolicy;
  readonly limit?: UpstreamAdaptiveLimitPolicy;
  readonly breaker?: UpstreamBreakerPolicy;
  readonly retry?: UpstreamRetryPolicy;
}

/** How calls to one upstream are protected; every part but the timeout is optional. */
export interface UpstreamPolicyOptions {
  /** Budget of a single attempt, in milliseconds. */
  readonly timeoutMs: number;
  readonly bulkhead?: BulkheadPolicyOptions;
  /**
   * An adaptive concurrency limit (AIMD, Sentinel-style) inside the bulkhead: the fixed bulkhead caps what
   * one upstream may hold of this caller, the adaptive limit tracks what the upstream can take right now.
   */
  readonly adaptiveLimit?: AdaptiveLimitPolicyOptions;
  readonly breaker?: BreakerPolicyOptions;
  readonly retry?: RetryPolicyOptions;
  /** Receives the events of every part; overrides a listener given in a part's own options. */
  readonly listener?: ResilienceListener;
}

/** A starting point for an upstream: 2 s per attempt, 3 attempts within a 20% budget, a rate breaker. */
export const RECOMMENDED_UPSTREAM_POLICY: UpstreamPolicyOptions = {
  timeoutMs: 2_000,
  bulkhead: { maxConcurrent: 64, maxQueued: 64 },
  breaker: { mode: 'rate', threshold: 0.5, minimumCalls: 20, windowMs: 10_000, halfOpenAfterMs: 5_000, halfOpenProbes: 3 },
  retry: { maxAttempts: 3, baseDelayMs: 50, maxDelayMs: 1_000, jitter: 'full' },
};

function withListener<T extends { readonly listener?: ResilienceListener }>(part: T, listener: ResilienceListener | undefined): T {
  return listener ? { ...part, listener } : part;
}

/**
 * Builds the policy for calls to `upstream`, outermost first: bulkhead -> adaptive limit -> breaker ->
 * retry -> timeout (per attempt). The caller keeps the overall deadline and passes it as the abort signal. Build it once
 * per upstream and share it: the bulkhead, the breaker and the retry budget hold shared state.
 */
export function policyFor(upstream: string, options: UpstreamPolicyOptions): UpstreamPolicy {
  const { listener } = options;
  const bulkhead = options.bulkhead && new UpstreamBulkheadPolicy(upstream, withListener(options.bulkhead, listener));
  const limit = options.adaptiveLimit && new UpstreamAdaptiveLimitPolicy(upstream, withListener(options.adaptiveLimit, listener));
  const breaker = options.breaker && new UpstreamBreakerPolicy(upstream, withListener(options.breaker, listener));
  const retry = options.retry && new UpstreamRetryPolicy(upstream, withListener(options.retry, listener));
  const attemptTimeout = timeout(upstream, options.timeoutMs, listener);
  const compose = (...parts: Array<IPolicy<IDefaultPolicyContext, unknown> | undefined>) =>
    wrap(...parts.filter((part) => part !== undefined)) as IPolicy<UpstreamContext> & { readonly wrapped: IPolicy<IDefaultPolicyContext, unknown>[] };
  const all = compose(bulkhead, limit, breaker, retry, attemptTimeout);
  return Object.assign(all, { upstream, withoutRetry: compose(bulkhead, limit, breaker, attemptTimeout), bulkhead, limit, breaker, retry });
}
