import type { Balanceable, Balancer } from './balancer';

/** A source of numbers uniformly distributed in [0, 1), like `Math.random`. */
export type Rng = () => number;

/** Picks a candidate uniformly at random; `rng` is injectable so tests can seed it. */
export class RandomBalancer<T extends Balanceable = Balanceable> implements Balancer<T> {
  constructor(private readonly rng: Rng = Math.random) {}

  pick(candidates: readonly T[]): T | undefined {
    if (candidates.length === 0) return undefined;
    // Clamp guards against an rng that returns exactly 1.
    return candidates[Math.min(Math.floor(this.rng() * candidates.length), candidates.length - 1)];
  }
}
