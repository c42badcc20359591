import { type IDefaultPolicyContext, type IPolicy, wrap } from 'cockatiel';
import { timeout } from './upstream-timeout.policy';

/** A composed resilience policy for calls to one upstream. */
export type UpstreamPolicy = IPolicy<IDefaultPolicyContext>;

/**
 * How calls to one upstream are protected. Only the timeout exists today; retry (with a budget),
 * circuit breaker and bulkhead options join here without changing `policyFor` call sites.
 */
export interface UpstreamPolicyOptions {
  /** Budget of a single attempt, in milliseconds. */
  readonly timeoutMs: number;
}

/**
 * Builds the policy for calls to `upstream`, composed with cockatiel's `wrap` from the outermost policy
 * in: today only the timeout. Build it once per upstream and share it, as breakers need shared state.
 */
export function policyFor(upstream: string, options: UpstreamPolicyOptions): UpstreamPolicy {
  // The seam: wrap(bulkhead, retry, breaker, timeout(...)) once those policies arrive.
  return wrap(timeout(upstream, options.timeoutMs));
}
