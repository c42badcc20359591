import { CircuitBreaker } from './circuit.breaker';
import type { BreakerPolicyOptions, BreakerState } from './upstream-breaker.policy';

/**
 * Keeps one permit-style {@link CircuitBreaker} per key (instance id), created on first use with shared
 * options and `scope: 'instance'`, so its refusals are `InstanceCircuitOpenError`s. Same API as
 * {@link BreakerRegistry}; `isOpen(id)` plugs into load-balancing's `OutlierDetector({ isOpen })`.
 */
export class CircuitBreakerRegistry {
  private readonly breakers = new Map<string, CircuitBreaker>();

  constructor(private readonly options: BreakerPolicyOptions) {}

  /** Returns the breaker for `id`, creating it closed on first use. */
  get(id: string): CircuitBreaker {
    let breaker = this.breakers.get(id);
    if (!breaker) {
      breaker = new CircuitBreaker(id, { ...this.options, scope: 'instance' });
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

  /** Every breaker's id and state now. */
  *states(): IterableIterator<[id: string, state: BreakerState]> {
    for (const [id, breaker] of this.breakers) yield [id, breaker.state];
  }

  /** Drops `id`'s breaker, e.g. when the instance leaves discovery, so the registry does not grow forever. */
  delete(id: string): void {
    this.breakers.delete(id);
  }
}
