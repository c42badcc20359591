/** What a {@link Poller} runs and when. */
export interface PollerOptions<T> {
  /** One pass of the work, e.g. read a batch of rows and act on them; resolves with what it did. */
  readonly pass: () => Promise<T>;
  /** Delay from `start()` to the first pass, in milliseconds. Default 0: right away. */
  readonly firstDelayMs?: number;
  /** Pause from the end of one pass to the start of the next, in milliseconds. */
  readonly intervalMs: number;
  /** Called with the error of every scheduled pass that rejected; polling goes on at the next interval. */
  readonly onError: (error: unknown) => void;
}

/**
 * Runs a pass in the background, again and again, one at a time: the first `firstDelayMs` after `start()`,
 * then each `intervalMs` after the previous one ended. `flush()` runs a pass on demand; `stop()` waits for
 * the pass in flight, so none is cut in half. What the outbox relay and a table sweeper poll with.
 */
export class Poller<T> {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> = Promise.resolve();
  private started = false;

  constructor(private readonly options: PollerOptions<T>) {}

  /** Starts polling; does nothing when already started. */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.schedule(this.options.firstDelayMs ?? 0);
  }

  /** Stops polling and resolves once the pass in flight (and any flush queued behind it) has ended. */
  async stop(): Promise<void> {
    this.started = false;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /**
   * Runs one pass now, queued behind the pass in flight (passes never overlap), and resolves or rejects
   * with its outcome; `pass` replaces the configured one for this run, e.g. to give it other arguments.
   * Works whether or not the poller is started.
   */
  flush(pass: () => Promise<T> = this.options.pass): Promise<T> {
    const run = this.running.then(() => pass());
    this.running = run.catch(() => undefined);
    return run;
  }

  private schedule(delayMs: number): void {
    // A timeout re-armed after each pass rather than an interval, so two passes never overlap.
    this.timer = setTimeout(() => void this.tick(), delayMs);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    this.timer = undefined;
    try {
      await this.flush();
    } catch (error) {
      this.options.onError(error);
    }
    // Restarted while this pass ran: `start()` armed the loop again already; a second timer would double it.
    if (this.started && this.timer === undefined) this.schedule(this.options.intervalMs);
  }
}
