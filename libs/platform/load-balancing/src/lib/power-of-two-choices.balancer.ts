import type { Balanceable, Balancer } from './balancer';
import type { PendingTracker } from './pending.tracker';
import type { Rng } from './random.balancer';

/**
 * Samples two distinct candidates at random and picks the one with fewer calls in flight (the
 * "power of two choices"). Nearly as good as least-pending at steering away from slow instances,
 * without scanning the whole list or herding every caller onto the same idle instance.
 */
export class PowerOfTwoChoicesBalancer<T extends Balanceable = Balanceable> implements Balancer<T> {
  constructor(
    private readonly tracker: PendingTracker,
    private readonly rng: Rng = Math.random,
  ) {}

  pick(candidates: readonly T[]): T | undefined {
    const count = candidates.length;
    if (count <= 1) return candidates[0];
    const first = this.index(count);
    // Drawing the second from the other count - 1 slots keeps the two distinct without a retry loop.
    let second = this.index(count - 1);
    if (second >= first) second += 1;
    const a = candidates[first];
    const b = candidates[second];
    return this.tracker.pending(b.id) < this.tracker.pending(a.id) ? b : a;
  }

  private index(count: number): number {
    return Math.min(Math.floor(this.rng() * count), count - 1);
  }
}
