import type { Balanceable, Balancer } from './balancer';
import { CandidateCache } from './candidate-cache';
import { HashRing } from './hash-ring';
import { RoundRobinBalancer } from './round-robin.balancer';

/** Options of {@link ConsistentHashBalancer}. */
export interface ConsistentHashOptions {
  /** Ring points per instance; more points spread keys more evenly and cost memory. Default 160. */
  readonly vnodes?: number;
}

/**
 * Sends every call with the same key to the same instance (sticky routing), using a hash ring with
 * virtual nodes so that adding or removing one of N instances moves only about 1/N of the keys.
 * Calls without a key are spread round-robin.
 */
export class ConsistentHashBalancer<T extends Balanceable = Balanceable> implements Balancer<T> {
  private readonly ring: CandidateCache<T, HashRing<T>>;
  private readonly fallback = new RoundRobinBalancer<T>();

  constructor(options: ConsistentHashOptions = {}) {
    const vnodes = options.vnodes ?? 160;
    if (!Number.isInteger(vnodes) || vnodes < 1) throw new RangeError(`vnodes must be a positive integer, got ${vnodes}`);
    this.ring = new CandidateCache((candidates) => new HashRing(candidates, vnodes));
  }

  pick(candidates: readonly T[], key?: string): T | undefined {
    if (!key) return this.fallback.pick(candidates);
    return this.ring.get(candidates).owner(key);
  }
}
