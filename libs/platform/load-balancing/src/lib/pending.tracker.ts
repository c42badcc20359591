/**
 * Counts the calls in flight to each instance, for the balancers that prefer the least busy one
 * (`LeastPendingBalancer`, `PowerOfTwoChoicesBalancer`). The caller reports each call: `start(id)`
 * before sending it and the returned `release()` when it settles, however it settles; one tracker
 * is shared by the balancer and the client that makes the calls.
 */
export class PendingTracker {
  private readonly counts = new Map<string, number>();

  /** Returns the number of calls in flight to `id`. */
  pending(id: string): number {
    return this.counts.get(id) ?? 0;
  }

  /**
   * Records a call to `id` as started and returns the function that records it as finished. The
   * release is idempotent, so a `finally` and an abort handler can both call it safely.
   */
  start(id: string): () => void {
    this.counts.set(id, this.pending(id) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = this.pending(id) - 1;
      // Dropping idle entries keeps the map from growing with every instance ever seen.
      if (left > 0) this.counts.set(id, left);
      else this.counts.delete(id);
    };
  }

  /** Runs `call` as one tracked call to `id`: started now, released when its promise settles. */
  async track<R>(id: string, call: () => Promise<R>): Promise<R> {
    const release = this.start(id);
    try {
      return await call();
    } finally {
      release();
    }
  }
}
