import type { Balanceable } from './balancer';

/** Options of {@link OutlierDetector}; every field has a default. */
export interface OutlierDetectorOptions {
  /** Consecutive failures that eject an instance. Default 5. */
  readonly consecutiveFailures?: number;
  /** First ejection length in ms; the k-th in a row lasts `base * 2^(k-1)`. Default 10,000. */
  readonly baseEjectionMs?: number;
  /** Longest ejection in ms. Default 300,000 (5 minutes). */
  readonly maxEjectionMs?: number;
  /** Current time in ms; injectable for tests. Default `Date.now`. */
  readonly clock?: () => number;
  /** Also leaves out instances for which this returns true, e.g. those whose circuit breaker is open. */
  readonly isOpen?: (id: string) => boolean;
}

/** An instance currently left out of the pool, as reported by {@link OutlierDetector.ejected}. */
export interface Ejection {
  readonly id: string;
  /** Time (ms, same clock as the detector) from which the instance is let back for a probe. */
  readonly until: number;
  /** Ejections in a row, after decay; the next one lasts twice as long as this one, up to the cap. */
  readonly ejections: number;
}

interface Filtered {
  readonly candidates: readonly Balanceable[];
  readonly result: readonly Balanceable[];
  readonly version: number;
  /** The filter result holds until this time, when the next ejection ends. */
  readonly validUntil: number;
}

interface Health {
  failures: number;
  ejections: number;
  /** When the current ejection ends; 0 when the instance is not ejected and not on probation. */
  until: number;
  /** When it last came back healthy; each `base` ms of health since then forgives one ejection. */
  healthySince: number;
}

/**
 * Passive health checking (Envoy's outlier detection): ejects an instance that fails
 * `consecutiveFailures` times in a row for a growing interval, then lets it back on probation, where
 * its first outcome decides: a success restores it, a failure ejects it again for twice as long.
 * It never empties the pool: when every candidate is out, `filter` returns them all.
 */
export class OutlierDetector {
  private readonly health = new Map<string, Health>();
  // Bumped on every ejection; with `validUntil` it tells when the last filter result is stale.
  private version = 0;
  private last: Filtered | undefined;
  private readonly threshold: number;
  private readonly base: number;
  private readonly max: number;
  private readonly clock: () => number;

  constructor(private readonly options: OutlierDetectorOptions = {}) {
    this.threshold = positive(options.consecutiveFailures ?? 5, 'consecutiveFailures');
    this.base = positive(options.baseEjectionMs ?? 10_000, 'baseEjectionMs');
    this.max = Math.max(positive(options.maxEjectionMs ?? 300_000, 'maxEjectionMs'), this.base);
    this.clock = options.clock ?? Date.now;
  }

  /** Records a successful call to `id`: clears its failure streak, or ends its probation. */
  recordSuccess(id: string): void {
    const health = this.health.get(id);
    const now = this.clock();
    // Outcomes of calls sent before the ejection say nothing about the instance now.
    if (!health || health.until > now) return;
    health.failures = 0;
    if (health.until !== 0) {
      health.until = 0;
      health.healthySince = now;
    }
    if (this.decayed(health, now) === 0) this.health.delete(id);
  }

  /** Records a failed call to `id`; ejects it at the threshold, or at once while on probation. */
  recordFailure(id: string): void {
    const now = this.clock();
    const health = this.health.get(id) ?? { failures: 0, ejections: 0, until: 0, healthySince: now };
    this.health.set(id, health);
    if (health.until > now) return;
    health.failures += 1;
    if (health.until !== 0 || health.failures >= this.threshold) this.eject(health, now);
  }

  /**
   * Returns the candidates that are neither ejected nor open (per `isOpen`). When that would leave
   * none, returns all of them: spreading calls over a fleet that looks down beats refusing every
   * call, and is how Envoy's panic threshold behaves. Returns `candidates` itself when it removes
   * nothing, so balancers that cache per list keep their cache.
   */
  filter<T extends Balanceable>(candidates: readonly T[]): readonly T[] {
    if (this.options.isOpen) return this.compute(candidates, this.clock());
    if (this.health.size === 0) return candidates;
    const now = this.clock();
    const last = this.last;
    // Same list, no ejection since and none ended: the last result (one array, so caches downstream
    // keep hitting) still holds. The cast is sound because the candidates are the same array.
    if (last?.candidates === candidates && last.version === this.version && now < last.validUntil) {
      return last.result as readonly T[];
    }
    const result = this.compute(candidates, now);
    this.last = { candidates, result, version: this.version, validUntil: this.nextReturn(now) };
    return result;
  }

  /** Lists the instances ejected right now (not those left out by `isOpen`). */
  ejected(): Ejection[] {
    const now = this.clock();
    return [...this.health]
      .filter(([, health]) => health.until > now)
      .map(([id, health]) => ({ id, until: health.until, ejections: health.ejections }));
  }

  private compute<T extends Balanceable>(candidates: readonly T[], now: number): readonly T[] {
    const kept = candidates.filter((candidate) => !this.isOut(candidate.id, now));
    return kept.length === candidates.length || kept.length === 0 ? candidates : kept;
  }

  private nextReturn(now: number): number {
    let next = Infinity;
    for (const { until } of this.health.values()) if (until > now && until < next) next = until;
    return next;
  }

  private isOut(id: string, now: number): boolean {
    const health = this.health.get(id);
    return (health !== undefined && health.until > now) || (this.options.isOpen?.(id) ?? false);
  }

  private eject(health: Health, now: number): void {
    health.ejections = this.decayed(health, now) + 1;
    health.until = now + Math.min(this.base * 2 ** (health.ejections - 1), this.max);
    health.failures = 0;
    this.version += 1;
  }

  private decayed(health: Health, now: number): number {
    if (health.until !== 0) return health.ejections;
    return Math.max(0, health.ejections - Math.floor((now - health.healthySince) / this.base));
  }
}

function positive(value: number, name: string): number {
  if (!Number.isFinite(value) || value <= 0) throw new RangeError(`${name} must be a positive number, got ${value}`);
  return value;
}
