import { isFault, type LatencyTracker, type ResilienceListener } from '@nestkit/resilience';
import { UNAVAILABLE_STATUSES, type UpstreamAnswer } from '../upstream-call';
import { discard, type Endpoint, type Middleware } from './endpoint';
import { Attempt } from './exchange';

/** When {@link hedge} sends its second attempt. */
export interface HedgeOptions {
  readonly upstream: string;
  /** The upstream's recent latencies: the second attempt goes after their p95. */
  readonly latency: LatencyTracker;
  /** The wait while no latency has been measured yet. */
  readonly defaultDelayMs: number;
  readonly listener: ResilienceListener;
}

/** Why a hedged attempt was aborted: another one answered first. Not a failure of its instance. */
class HedgeLostError extends Error {
  constructor() {
    super('Another hedged attempt answered first');
    this.name = 'HedgeLostError';
  }
}

/**
 * For calls with `hedge: true` that are idempotent and replayable: if the first attempt has not answered
 * after the upstream's recent p95 latency, a second one goes to another instance; the first good answer
 * (not 502/503/504) wins and the other attempt is aborted. A fault or an unavailable answer starts the
 * second attempt at once. Hand-written over `hedge()` from resilience, which only knows thrown errors.
 */
export function hedge(options: HedgeOptions): Middleware {
  return (next) => (attempt) => {
    const exchange = attempt.exchange;
    if (exchange.call.hedge !== true || !exchange.idempotent || !exchange.replayable) return next(attempt);
    return new Promise<UpstreamAnswer>((resolve, reject) => new HedgedCall(next, attempt, options, resolve, reject).start());
  };
}

class HedgedCall {
  private launched = 0;
  private readonly running = new Set<Attempt>();
  private settled = false;
  private timer: NodeJS.Timeout | undefined;
  private fallback: UpstreamAnswer | undefined;
  private error: unknown;

  constructor(
    private readonly next: Endpoint,
    private readonly first: Attempt,
    private readonly options: HedgeOptions,
    private readonly resolve: (answer: UpstreamAnswer) => void,
    private readonly reject: (error: unknown) => void,
  ) {}

  start(): void {
    this.launch();
    const delayMs = this.options.latency.p95() ?? this.options.defaultDelayMs;
    this.timer = setTimeout(() => this.hedge(delayMs), delayMs);
    this.timer.unref();
  }

  private hedge(delayMs: number): void {
    if (this.settled || this.launched > 1 || this.first.exchange.signal.aborted) return;
    this.options.listener.onEvent({ upstream: this.options.upstream, kind: 'hedge', hedge: 1, delayMs });
    this.launch();
  }

  private launch(): void {
    const attempt = this.launched === 0 ? this.first.fork() : new Attempt(this.first.exchange).fork();
    attempt.hedged = this.launched > 0;
    this.launched++;
    this.running.add(attempt);
    this.next(attempt).then(
      (answer) => this.answered(attempt, answer),
      (error: unknown) => this.failed(attempt, error),
    );
  }

  private answered(attempt: Attempt, answer: UpstreamAnswer): void {
    this.running.delete(attempt);
    if (this.settled) return discard(answer);
    if (!UNAVAILABLE_STATUSES.has(answer.status)) {
      if (this.fallback) discard(this.fallback);
      if (attempt.hedged) this.options.listener.onEvent({ upstream: this.options.upstream, kind: 'hedge-won' });
      return this.finish(() => this.resolve(answer));
    }
    if (this.fallback) discard(this.fallback);
    this.fallback = answer;
    this.onBadOutcome();
  }

  private failed(attempt: Attempt, error: unknown): void {
    this.running.delete(attempt);
    if (this.settled) return;
    if (!isFault(error)) return this.finish(() => this.reject(error));
    this.error = error;
    this.onBadOutcome();
  }

  private onBadOutcome(): void {
    if (this.launched < 2 && !this.first.exchange.signal.aborted) return this.launch();
    if (this.running.size > 0) return;
    const fallback = this.fallback;
    this.finish(() => (fallback ? this.resolve(fallback) : this.reject(this.error)));
  }

  // Aborts the attempts still running; the winner's signal is left alone, it guards its streaming body.
  private finish(settle: () => void): void {
    this.settled = true;
    clearTimeout(this.timer);
    for (const attempt of this.running) {
      attempt.lost = true;
      attempt.abort(new HedgeLostError());
    }
    settle();
  }
}
