import type { Balanceable, Balancer } from './balancer';
import { CandidateCache } from './candidate-cache';

/** A candidate that may say which zone (rack, availability zone) it runs in. */
export interface Zoned extends Balanceable {
  readonly zone?: string;
}

/**
 * Keeps traffic in the caller's zone: hands the inner balancer only the candidates whose `zone`
 * equals `localZone`, or every candidate when none is local (or no local zone is set).
 */
export class ZonePreferringBalancer<T extends Zoned = Zoned> implements Balancer<T> {
  // The filtered list is cached per candidate list, so the inner balancer sees one stable array and
  // its own caches (hash ring, weights) are not rebuilt on every call.
  private readonly local = new CandidateCache<T, readonly T[]>((candidates) => {
    const local = candidates.filter((candidate) => candidate.zone === this.localZone);
    return local.length > 0 ? local : candidates;
  });

  constructor(
    private readonly localZone: string | undefined,
    private readonly inner: Balancer<T>,
  ) {}

  pick(candidates: readonly T[], key?: string): T | undefined {
    if (this.localZone === undefined) return this.inner.pick(candidates, key);
    return this.inner.pick(this.local.get(candidates), key);
  }
}
