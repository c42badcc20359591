import { type BreakerPolicyOptions, type BreakerState, UpstreamBreakerPolicy } from './upstream-breaker.policy';

/**
 * A starting point for per-instance breakers: open an instance failing more than half of at least 10 calls
 * in 10 s, probe it with one call after 5 s. Consecutive failures are the outlier detector's job.
 */
export const RECOMMENDED_INSTANCE_BREAKER: BreakerPolicyOptions = {
  mode: 'rate',
  threshold: 0.5,
  minimumCalls: 10,
  windowMs: 10_000,
  halfOpenAfterMs: 5_000,
  halfOpenProbes: 1,
};

/**
 * Keeps one {@link UpstreamBreakerPolicy} per key, created on first use with shared options: per-instance
 * breakers whose `isOpen(id)` feeds the load balancer's outlier detection (an open instance is skipped).
 */
export class BreakerRegistry {
  private readonly breakers = new Map<string, UpstreamBreakerPolicy>();

  constructor(private readonly options: BreakerPolicyOptions) {}

  /** Returns the breaker for `id`, creating it closed on first use. */
  get(id: string): UpstreamBreakerPolicy {
    let breaker = this.breakers.get(id);
    if (!breaker) {
      breaker = new UpstreamBreakerPolicy(id, { ...this.options, scope: 'instance' });
      this.breakers.set(id, breaker);
    }
    return breaker;
  }

  /** True while calls to `id` would fail fast; false for an id never seen. */
  isOpen(id: string): boolean {
    return this.breakers.get(id)?.isOpen() ?? false;
  }

  /** The state of `id`'s breaker; `closed` for an id never seen. */
  state(id: string): BreakerState {
    return this.breakers.get(id)?.state ?? 'closed';
  }

  /** Drops `id`'s breaker, e.g. when the instance leaves discovery, so the registry does not grow forever. */
  delete(id: string): void {
    this.breakers.delete(id);
  }
}
