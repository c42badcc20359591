/** Tuning of a {@link LatencyTracker}. */
export interface LatencyTrackerOptions {
  /** Samples older than this are forgotten, so the estimate follows the upstream's current behaviour. */
  readonly windowMs?: number;
  /** Most samples kept; the oldest go first, which bounds memory and the cost of a read. */
  readonly maxSamples?: number;
  readonly clock?: () => number;
}

interface Sample {
  readonly at: number;
  readonly ms: number;
}

/**
 * Keeps the latencies of recent calls over a sliding window and answers percentiles (nearest rank),
 * e.g. the p95 after which a hedged request is sent.
 */
export class LatencyTracker {
  private readonly windowMs: number;
  private readonly maxSamples: number;
  private readonly clock: () => number;
  private samples: Sample[] = [];

  constructor(options: LatencyTrackerOptions = {}) {
    this.windowMs = options.windowMs ?? 30_000;
    this.maxSamples = options.maxSamples ?? 1_000;
    this.clock = options.clock ?? Date.now;
  }

  /** Adds the latency of one finished call, in milliseconds. */
  record(latencyMs: number): void {
    this.samples.push({ at: this.clock(), ms: latencyMs });
    if (this.samples.length > this.maxSamples) this.samples.shift();
  }

  /** The `p`th percentile (0 < p <= 100) of the samples in the window, or `undefined` when there are none. */
  percentile(p: number): number | undefined {
    const since = this.clock() - this.windowMs;
    this.samples = this.samples.filter((sample) => sample.at > since);
    if (this.samples.length === 0) return undefined;
    const sorted = this.samples.map((sample) => sample.ms).sort((a, b) => a - b);
    return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
  }

  /** The 95th percentile of the samples in the window, or `undefined` when there are none. */
  p95(): number | undefined {
    return this.percentile(95);
  }
}
