/** One call made by an {@link OpenLoopSampler}: when it was sent, how long it took, and how it ended. */
export interface SampledCall {
  /** `performance.now()` when the call was sent. */
  readonly sentAt: number;
  /** Time to the whole response body, in ms. */
  readonly ms: number;
  /** The HTTP status; 0 when no response arrived (connection error or the 5 s client timeout). */
  readonly status: number;
}

/**
 * Calls one URL open-loop at a fixed rate until stopped, recording every call: the send schedule never
 * waits for answers, so a slow gateway shows up as latency instead of as fewer calls (no coordinated
 * omission). Windows of interest are cut out afterwards by send time with {@link between}.
 */
export class OpenLoopSampler {
  private readonly calls: SampledCall[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private stopped = false;
  private readonly loop: Promise<void>;

  private constructor(
    private readonly url: string,
    private readonly ratePerSecond: number,
    private readonly headers: Readonly<Record<string, string>>,
  ) {
    this.loop = this.run();
  }

  /** Starts calling `url` with `headers` at `ratePerSecond`. */
  static start(url: string, ratePerSecond: number, headers: Readonly<Record<string, string>> = {}): OpenLoopSampler {
    return new OpenLoopSampler(url, ratePerSecond, headers);
  }

  /** The finished calls sent in [`from`, `to`). */
  between(from: number, to: number): SampledCall[] {
    return this.calls.filter((call) => call.sentAt >= from && call.sentAt < to);
  }

  /** Every finished call whose status is not `expected`. */
  failures(expected: number): SampledCall[] {
    return this.calls.filter((call) => call.status !== expected);
  }

  /**
   * Resolves with the time at which the first `run` calls in a row (by send time, from `since` on) had all
   * come back with a status `matches` accepts, i.e. when that state could be seen from outside and held;
   * throws after `timeoutMs` naming `what` and the statuses seen meanwhile.
   */
  async firstRun(since: number, run: number, matches: (status: number) => boolean, what: string, timeoutMs: number): Promise<number> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const calls = this.calls.filter((call) => call.sentAt >= since).sort((a, b) => a.sentAt - b.sentAt);
      let streak = 0;
      let last = 0;
      for (const call of calls) {
        streak = matches(call.status) ? streak + 1 : 0;
        last = Math.max(last, call.sentAt + call.ms);
        if (streak === run) return last;
      }
      if (performance.now() > deadline) {
        throw new Error(`${this.url} did not show ${what} within ${timeoutMs} ms; statuses since then: ${JSON.stringify(calls.map((call) => call.status))}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Stops sending and resolves once every call in flight has finished. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
    await Promise.all(this.inFlight);
  }

  private async run(): Promise<void> {
    const interval = 1_000 / this.ratePerSecond;
    const started = performance.now();
    for (let i = 0; !this.stopped; i += 1) {
      const call = this.call(performance.now());
      this.inFlight.add(call);
      void call.finally(() => this.inFlight.delete(call));
      const next = started + (i + 1) * interval;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, next - performance.now())));
    }
  }

  private async call(sentAt: number): Promise<void> {
    let status = 0;
    try {
      const response = await fetch(this.url, { headers: this.headers, signal: AbortSignal.timeout(5_000) });
      await response.arrayBuffer();
      status = response.status;
    } catch {
      // Recorded as status 0: the caller decides whether a lost call fails its proof.
    }
    this.calls.push({ sentAt, ms: performance.now() - sentAt, status });
  }
}
