import type { Balanceable, Balancer } from './balancer';
import type { PendingTracker } from './pending.tracker';

/**
 * Picks the candidate with the fewest calls in flight (least outstanding requests), reading the
 * counts from a {@link PendingTracker} the caller keeps up to date. Ties go round-robin, so an idle
 * fleet is served in turn rather than always by the first instance.
 */
export class LeastPendingBalancer<T extends Balanceable = Balanceable> implements Balancer<T> {
  private cursor = 0;

  constructor(private readonly tracker: PendingTracker) {}

  pick(candidates: readonly T[]): T | undefined {
    if (candidates.length === 0) return undefined;
    let least = Infinity;
    let ties = 0;
    for (const candidate of candidates) {
      const pending = this.tracker.pending(candidate.id);
      if (pending < least) {
        least = pending;
        ties = 1;
      } else if (pending === least) ties += 1;
    }
    let turn = this.cursor % ties;
    this.cursor = (this.cursor + 1) % Number.MAX_SAFE_INTEGER;
    for (const candidate of candidates) {
      if (this.tracker.pending(candidate.id) === least && turn-- === 0) return candidate;
    }
    return undefined;
  }
}
