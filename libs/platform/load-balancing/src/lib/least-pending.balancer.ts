import type { Balanceable, Balancer } from './balancer';
import type { PendingTracker } from './pending.tracker';

/**
 * Picks the candidate with the fewest calls in flight (least outstanding requests), reading the
 * counts from a {@link PendingTracker} the caller keeps up to date. Ties go round-robin, so an idle
 * fleet is served in turn rather than always by the first instance.
 */
export class LeastPendingBalancer<T extends Balanceable = Balanceable> implements Balancer<T> {
  private cursor = 0;
  // Reused between picks so the second pass reads counts without a second map lookup per candidate.
  private counts = new Float64Array(16);

  constructor(private readonly tracker: PendingTracker) {}

  pick(candidates: readonly T[]): T | undefined {
    const length = candidates.length;
    if (length === 0) return undefined;
    if (this.counts.length < length) this.counts = new Float64Array(length * 2);
    const counts = this.counts;
    let least = Infinity;
    let ties = 0;
    for (let i = 0; i < length; i += 1) {
      const pending = (counts[i] = this.tracker.pending(candidates[i].id));
      if (pending < least) {
        least = pending;
        ties = 1;
      } else if (pending === least) ties += 1;
    }
    let turn = this.cursor % ties;
    this.cursor = (this.cursor + 1) % Number.MAX_SAFE_INTEGER;
    for (let i = 0; i < length; i += 1) {
      if (counts[i] === least && turn-- === 0) return candidates[i];
    }
    return undefined;
  }
}
