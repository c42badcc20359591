import { Poller, type PollerOptions } from './poller';

/** Passes the test ends by hand: each call records its start time and waits for `finish`/`fail`. */
class ScriptedPasses {
  readonly startedAt: number[] = [];
  maxConcurrent = 0;
  private readonly pending: { resolve: (value: number) => void; reject: (error: unknown) => void }[] = [];
  private active = 0;

  readonly pass = (): Promise<number> => {
    this.startedAt.push(Date.now());
    this.active += 1;
    this.maxConcurrent = Math.max(this.maxConcurrent, this.active);
    return new Promise<number>((resolve, reject) => this.pending.push({ resolve, reject })).finally(() => (this.active -= 1));
  };

  get inFlight(): number {
    return this.active;
  }

  /** Ends the oldest pass in flight with `value`. */
  async finish(value = 0): Promise<void> {
    this.next().resolve(value);
    await vi.advanceTimersByTimeAsync(0);
  }

  /** Ends the oldest pass in flight with `error`. */
  async fail(error: unknown): Promise<void> {
    this.next().reject(error);
    await vi.advanceTimersByTimeAsync(0);
  }

  private next() {
    const settle = this.pending.shift();
    if (!settle) throw new Error('no pass is in flight');
    return settle;
  }
}

describe(Poller.name, () => {
  let passes: ScriptedPasses;
  let onError: ReturnType<typeof vi.fn<(error: unknown) => void>>;
  let sut: Poller<number>;

  const poller = (options: Partial<PollerOptions<number>> = {}) =>
    new Poller<number>({ pass: passes.pass, intervalMs: 100, onError, ...options });

  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
    passes = new ScriptedPasses();
    onError = vi.fn<(error: unknown) => void>();
    sut = poller();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('runs the first pass firstDelayMs after start', async () => {
    sut = poller({ firstDelayMs: 1_000 });
    sut.start();

    await vi.advanceTimersByTimeAsync(999);
    expect(passes.startedAt).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(passes.startedAt).toEqual([1_000]);
  });

  it('runs the first pass right away when firstDelayMs is not given', async () => {
    sut.start();

    await vi.advanceTimersByTimeAsync(0);
    expect(passes.startedAt).toEqual([0]);
  });

  it('starts each next pass intervalMs after the previous one ended, never two at once', async () => {
    sut.start();
    await vi.advanceTimersByTimeAsync(0);

    await vi.advanceTimersByTimeAsync(300); // a pass far longer than the interval
    expect(passes.startedAt).toEqual([0]);
    await passes.finish();
    await vi.advanceTimersByTimeAsync(99);
    expect(passes.startedAt).toEqual([0]);
    await vi.advanceTimersByTimeAsync(1);
    expect(passes.startedAt).toEqual([0, 400]);
    await passes.finish();
    await vi.advanceTimersByTimeAsync(100);

    expect(passes.startedAt).toEqual([0, 400, 500]);
    expect(passes.maxConcurrent).toBe(1);
  });

  it('reports a failed pass to onError and polls again after intervalMs', async () => {
    const error = new Error('database unreachable');
    sut.start();
    await vi.advanceTimersByTimeAsync(0);

    await passes.fail(error);
    expect(onError).toHaveBeenCalledTimes(1);
    expect(onError).toHaveBeenCalledWith(error);
    await vi.advanceTimersByTimeAsync(100);
    expect(passes.startedAt).toEqual([0, 100]);
    await passes.finish();
    expect(onError).toHaveBeenCalledTimes(1);
  });

  it('stops after the pass in flight has ended, and starts no pass after that', async () => {
    sut.start();
    await vi.advanceTimersByTimeAsync(0);
    let stopped = false;

    const stopping = sut.stop().then(() => (stopped = true));
    await vi.advanceTimersByTimeAsync(5_000);
    expect(stopped).toBe(false);
    await passes.finish();
    await stopping;
    await vi.advanceTimersByTimeAsync(10_000);

    expect(stopped).toBe(true);
    expect(passes.startedAt).toEqual([0]);
  });

  it('runs no pass at all when stopped before the first one was due', async () => {
    sut = poller({ firstDelayMs: 1_000 });
    sut.start();
    await vi.advanceTimersByTimeAsync(500);

    await sut.stop();
    await vi.advanceTimersByTimeAsync(10_000);

    expect(passes.startedAt).toEqual([]);
  });

  it('flushes: runs a pass now, started or not, and resolves with its result', async () => {
    const flushed = sut.flush();
    await vi.advanceTimersByTimeAsync(0);
    expect(passes.startedAt).toEqual([0]);
    await passes.finish(7);

    await expect(flushed).resolves.toBe(7);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(passes.startedAt).toEqual([0]);
  });

  it('queues a flush behind the pass in flight and runs its own pass after it, not joining it', async () => {
    sut.start();
    await vi.advanceTimersByTimeAsync(0);

    const flushed = sut.flush();
    await vi.advanceTimersByTimeAsync(50);
    expect(passes.startedAt).toEqual([0]);
    await passes.finish(1);
    expect(passes.startedAt).toEqual([0, 50]);
    await passes.finish(2);

    await expect(flushed).resolves.toBe(2);
    await vi.advanceTimersByTimeAsync(100);
    expect(passes.startedAt).toEqual([0, 50, 150]);
    expect(passes.maxConcurrent).toBe(1);
  });

  it('rejects a failed flush to its caller, not to onError, and goes on polling', async () => {
    const error = new Error('publish failed');
    sut.start();
    await vi.advanceTimersByTimeAsync(0);
    await passes.finish();

    const flushed = sut.flush();
    flushed.catch(() => undefined);
    await vi.advanceTimersByTimeAsync(0);
    await passes.fail(error);

    await expect(flushed).rejects.toBe(error);
    expect(onError).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(100);
    expect(passes.startedAt).toEqual([0, 0, 100]);
  });

  it('flushes the pass it is given instead of the configured one', async () => {
    const flushed = sut.flush(() => Promise.resolve(42));

    await expect(flushed).resolves.toBe(42);
    expect(passes.startedAt).toEqual([]);
  });

  it('ignores a second start', async () => {
    sut.start();
    sut.start();
    await vi.advanceTimersByTimeAsync(0);

    expect(passes.startedAt).toEqual([0]);
  });

  it('keeps one loop when restarted while its last pass is still in flight', async () => {
    sut.start();
    await vi.advanceTimersByTimeAsync(0);
    const stopping = sut.stop();
    sut.start();

    await vi.advanceTimersByTimeAsync(0);
    await passes.finish();
    await stopping;
    expect(passes.startedAt).toEqual([0, 0]);
    await passes.finish();
    await vi.advanceTimersByTimeAsync(100);
    expect(passes.startedAt).toEqual([0, 0, 100]);
    await passes.finish();
    await vi.advanceTimersByTimeAsync(100);

    expect(passes.startedAt).toEqual([0, 0, 100, 200]);
    expect(passes.inFlight).toBe(1);
    expect(passes.maxConcurrent).toBe(1);
  });
});
