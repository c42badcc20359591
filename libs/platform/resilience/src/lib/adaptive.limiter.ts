/** Tuning of an {@link AdaptiveLimiter}. */
export interface AdaptiveLimiterOptions {
  readonly initialLimit?: number;
  readonly minLimit?: number;
  readonly maxLimit?: number;
  /** Factor the limit is multiplied by on a drop (failure or slow call). */
  readonly backoffRatio?: number;
  /** A call slower than this counts as a drop: the upstream is queueing. */
  readonly slowCallMs?: number;
}

/**
 * An AIMD concurrency limit in the style of Netflix's concurrency-limits and Sentinel's adaptive flow
 * control: the limit grows by one after a good call made while at least half the limit was in use, and
 * shrinks by `backoffRatio` after a failed or slow one. Hand-written: cockatiel's bulkhead has a fixed size.
 */
export class AdaptiveLimiter {
  private current: number;
  private running = 0;
  private readonly minLimit: number;
  private readonly maxLimit: number;
  private readonly backoffRatio: number;
  private readonly slowCallMs: number;

  constructor(options: AdaptiveLimiterOptions = {}) {
    this.minLimit = options.minLimit ?? 1;
    this.maxLimit = options.maxLimit ?? 200;
    this.backoffRatio = options.backoffRatio ?? 0.9;
    this.slowCallMs = options.slowCallMs ?? 5_000;
    this.current = this.clamp(options.initialLimit ?? 20);
  }

  /** The number of calls allowed in flight now. */
  get limit(): number {
    return this.current;
  }

  /** The number of calls acquired and not yet released. */
  get inFlight(): number {
    return this.running;
  }

  /** Takes a slot and returns true, or returns false (take nothing) when the limit is reached. */
  acquire(): boolean {
    if (this.running >= this.current) return false;
    this.running++;
    return true;
  }

  /** Returns a slot taken by {@link acquire}, reporting how long the call took and whether it succeeded. */
  release(latencyMs: number, ok: boolean): void {
    const inFlight = this.running;
    this.running = Math.max(0, this.running - 1);
    if (!ok || latencyMs > this.slowCallMs) {
      this.current = this.clamp(Math.floor(this.current * this.backoffRatio));
    } else if (inFlight * 2 >= this.current) {
      // Growing while mostly idle would let the limit drift far above what the upstream ever proved.
      this.current = this.clamp(this.current + 1);
    }
  }

  private clamp(limit: number): number {
    return Math.min(this.maxLimit, Math.max(this.minLimit, limit));
  }
}
