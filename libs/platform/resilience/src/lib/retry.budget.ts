/** Tuning of a {@link RetryBudget}. */
export interface RetryBudgetOptions {
  /** Retries allowed per request seen in the window; 0.2 keeps an upstream under ~1.2x its traffic. */
  readonly ratio?: number;
  /** Retries per second always allowed, so a quiet caller may still retry a lone failure. */
  readonly minRetriesPerSecond?: number;
  /** Length of the sliding window, in milliseconds. */
  readonly windowMs?: number;
  /** Source of the current time in epoch milliseconds. */
  readonly clock?: () => number;
}

interface Bucket {
  epoch: number;
  requests: number;
  retries: number;
}

const BUCKETS = 10;
// Floating-point slack so that 0.2 * 15 requests still allows exactly 3 retries.
const EPSILON = 1e-9;

/**
 * Caps the retries to one upstream at `ratio` times its requests over a sliding window, plus a small
 * floor of `minRetriesPerSecond`, as Finagle's and Linkerd's retry budgets do. Share one per upstream.
 */
export class RetryBudget {
  readonly ratio: number;
  readonly minRetriesPerSecond: number;
  readonly windowMs: number;
  private readonly clock: () => number;
  private readonly bucketMs: number;
  private readonly buckets: Bucket[] = Array.from({ length: BUCKETS }, () => ({ epoch: -1, requests: 0, retries: 0 }));

  constructor(options: RetryBudgetOptions = {}) {
    this.ratio = options.ratio ?? 0.2;
    this.minRetriesPerSecond = options.minRetriesPerSecond ?? 1;
    this.windowMs = options.windowMs ?? 10_000;
    this.clock = options.clock ?? Date.now;
    this.bucketMs = this.windowMs / BUCKETS;
  }

  /** Counts one request (not a retry) to the upstream; each one earns `ratio` retries. */
  recordRequest(): void {
    this.current().requests++;
  }

  /** Takes one retry from the budget; returns false, taking nothing, when the budget is spent. */
  tryWithdraw(): boolean {
    if (this.available() < 1 - EPSILON) return false;
    this.current().retries++;
    return true;
  }

  /** How many retries the budget allows right now. */
  available(): number {
    let requests = 0;
    let retries = 0;
    for (const bucket of this.live()) {
      requests += bucket.requests;
      retries += bucket.retries;
    }
    const floor = (this.minRetriesPerSecond * this.windowMs) / 1_000;
    return Math.max(0, this.ratio * requests + floor - retries);
  }

  private live(): Bucket[] {
    const epoch = this.epoch();
    return this.buckets.filter((bucket) => bucket.epoch > epoch - BUCKETS);
  }

  private current(): Bucket {
    const epoch = this.epoch();
    const bucket = this.buckets[epoch % BUCKETS];
    if (bucket.epoch !== epoch) Object.assign(bucket, { epoch, requests: 0, retries: 0 });
    return bucket;
  }

  private epoch(): number {
    return Math.floor(this.clock() / this.bucketMs);
  }
}
