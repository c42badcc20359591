import { TaskCancelledError } from 'cockatiel';
import { isFault } from './faults';
import { ignoreEvents, type ResilienceListener } from './resilience-event';

/** What each hedged attempt receives: its own abort signal and its index (0 for the first). */
export interface HedgeContext {
  readonly signal: AbortSignal;
  readonly hedge: number;
}

/** When and how often {@link hedge} sends another attempt. */
export interface HedgeOptions {
  /** Wait before each further attempt, e.g. the upstream's recent p95 latency. */
  readonly delayMs: number;
  /** Attempts beyond the first; defaults to 1. */
  readonly maxHedges?: number;
  /** The caller's signal: aborting it aborts every attempt. */
  readonly signal?: AbortSignal;
  readonly upstream?: string;
  readonly listener?: ResilienceListener;
}

type Call<T> = (context: HedgeContext) => PromiseLike<T> | T;

/**
 * Runs `call` and, if it has not answered after `delayMs`, runs it again (up to `maxHedges` times); the
 * first success wins and the others are aborted through their signals. A fault starts the next attempt at
 * once; a business error is an answer and ends the race. When every attempt fails, the last error is thrown.
 * Use it only for idempotent reads: the upstream may do the work twice.
 */
export function hedge<T>(call: Call<T>, options: HedgeOptions): Promise<T> {
  return new Promise<T>((resolve, reject) => new HedgedCall(call, options, resolve, reject).start());
}

class HedgedCall<T> {
  private readonly controllers: AbortController[] = [];
  private readonly maxHedges: number;
  private running = 0;
  private settled = false;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly call: Call<T>,
    private readonly options: HedgeOptions,
    private readonly resolve: (value: T) => void,
    private readonly reject: (error: unknown) => void,
  ) {
    this.maxHedges = options.maxHedges ?? 1;
  }

  start(): void {
    if (this.options.signal?.aborted) return this.reject(new TaskCancelledError('The caller cancelled the call'));
    this.options.signal?.addEventListener('abort', this.onAbort, { once: true });
    this.launch();
  }

  private readonly onAbort = () => this.finish(-1, () => this.reject(new TaskCancelledError('The caller cancelled the call')));

  private launch(): void {
    const index = this.controllers.length;
    const controller = new AbortController();
    this.controllers.push(controller);
    this.running++;
    if (index > 0) {
      const listener = this.options.listener ?? ignoreEvents;
      listener.onEvent({ upstream: this.options.upstream ?? 'unknown', kind: 'hedge', hedge: index, delayMs: this.options.delayMs });
    }
    clearTimeout(this.timer);
    if (index < this.maxHedges) this.timer = setTimeout(() => this.launch(), this.options.delayMs);
    Promise.resolve()
      .then(() => this.call({ signal: controller.signal, hedge: index }))
      .then(
        (value) => this.finish(index, () => this.resolve(value)),
        (error: unknown) => this.failed(index, error),
      );
  }

  private failed(index: number, error: unknown): void {
    if (this.settled) return;
    this.running--;
    if (!isFault(error)) return this.finish(index, () => this.reject(error));
    if (this.controllers.length <= this.maxHedges) return this.launch();
    if (this.running === 0) this.finish(index, () => this.reject(error));
  }

  // Aborts every attempt but the one that answered: a winner's signal may still guard its response body.
  private finish(winner: number, settle: () => void): void {
    if (this.settled) return;
    this.settled = true;
    clearTimeout(this.timer);
    this.options.signal?.removeEventListener('abort', this.onAbort);
    this.controllers.forEach((controller, index) => {
      if (index !== winner) controller.abort(new TaskCancelledError('Another hedged attempt answered first'));
    });
    settle();
  }
}
