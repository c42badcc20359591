import { UnavailableError } from '@nestkit/errors';
import {
  BrokenCircuitError,
  circuitBreaker,
  type CircuitBreakerPolicy,
  CircuitState,
  ConsecutiveBreaker,
  type Event,
  EventEmitter,
  handleWhen,
  type IBreaker,
  type IDefaultPolicyContext,
  type IPolicy,
  IsolatedCircuitError,
  SamplingBreaker,
} from 'cockatiel';
import { isFault } from './faults';
import { InstanceCircuitOpenError } from './instance-circuit-open.error';
import { ignoreEvents, type ResilienceListener } from './resilience-event';

/** Where a breaker stands: letting calls through, failing them fast, or letting a few probes through. */
export type BreakerState = 'closed' | 'open' | 'half-open';

/** When a breaker opens: after `threshold` consecutive faults, or above a fault rate over a time window. */
export type BreakerTrip =
  | { readonly mode: 'consecutive'; readonly threshold: number }
  | {
      readonly mode: 'rate';
      /** Opens when more than this share (0..1, exclusive) of the calls in the window failed. */
      readonly threshold: number;
      /** Calls the window must hold before the rate counts, so one early failure does not open it. */
      readonly minimumCalls: number;
      readonly windowMs: number;
    };

/** How the breaker of one upstream (or instance) trips and recovers. */
export type BreakerPolicyOptions = BreakerTrip & {
  /** How long the breaker stays open before it lets probes through. */
  readonly halfOpenAfterMs: number;
  /** How many probes may run while half-open; all must succeed to close, any failure re-opens. */
  readonly halfOpenProbes?: number;
  /**
   * `instance` for a breaker of one instance (BreakerRegistry sets it): its refusals are
   * {@link InstanceCircuitOpenError}s, which the upstream's own breaker and retries do not count.
   */
  readonly scope?: 'upstream' | 'instance';
  readonly listener?: ResilienceListener;
};

const STATES: Record<CircuitState, BreakerState> = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.Open]: 'open',
  [CircuitState.HalfOpen]: 'half-open',
  [CircuitState.Isolated]: 'open',
};

/** cockatiel's trip logic for `options`; shared with the permit-style CircuitBreaker (circuit.breaker.ts). */
export function tripOf(options: BreakerTrip): IBreaker {
  if (options.mode === 'consecutive') return new ConsecutiveBreaker(options.threshold);
  // SamplingBreaker wants a rate and rounds the window to whole buckets (at least 5, at most 1 s each);
  // derive the rate from the rounded window, a hair low, so exactly minimumCalls calls qualify.
  const buckets = Math.max(5, Math.ceil(options.windowMs / 1_000));
  const windowMs = Math.round(options.windowMs / buckets) * buckets;
  const minimumRps = ((options.minimumCalls - 1e-6) * 1_000) / windowMs;
  return new SamplingBreaker({ threshold: options.threshold, duration: options.windowMs, minimumRps });
}

/**
 * A circuit breaker for one upstream on cockatiel's {@link CircuitBreakerPolicy}: business errors and
 * caller cancellations never count; an open circuit fails calls at once with `UnavailableError` code
 * `circuit-open`; once `halfOpenAfterMs` has passed, exactly `halfOpenProbes` calls go through and any
 * further call fails fast until they decide (cockatiel would queue them instead).
 */
export class UpstreamBreakerPolicy implements IPolicy {
  declare readonly _altReturn: never;
  private readonly inner: CircuitBreakerPolicy;
  private readonly listener: ResilienceListener;
  private readonly changes = new EventEmitter<BreakerState>();
  private readonly probes: number;
  private openedAt = 0;
  private probesAdmitted = 0;

  /** Fires with the new state on every transition (open-to-half-open fires when the first probe starts). */
  readonly onStateChange: Event<BreakerState> = this.changes.addListener;

  constructor(
    readonly upstream: string,
    private readonly options: BreakerPolicyOptions,
  ) {
    this.probes = options.halfOpenProbes ?? 1;
    this.listener = options.listener ?? ignoreEvents;
    this.inner = circuitBreaker(handleWhen(isFault), {
      breaker: tripOf(options),
      halfOpenAfter: options.halfOpenAfterMs,
      halfOpenSampling: { calls: this.probes, threshold: 0 },
    });
    this.inner.onStateChange((state) => this.changed(STATES[state]));
  }

  get onSuccess() {
    return this.inner.onSuccess;
  }

  get onFailure() {
    return this.inner.onFailure;
  }

  /** The state now; an open breaker whose break has elapsed already reads `half-open`. */
  get state(): BreakerState {
    const state = STATES[this.inner.state];
    return state === 'open' && this.inner.state !== CircuitState.Isolated && this.breakElapsed() ? 'half-open' : state;
  }

  /** Epoch ms at which an open breaker lets its first probe through. */
  get halfOpenAt(): number {
    return this.openedAt + this.options.halfOpenAfterMs;
  }

  /** True while a call would be failed fast: open, or half-open with every probe taken. */
  isOpen(): boolean {
    const state = this.state;
    return state === 'open' || (state === 'half-open' && this.probesAdmitted >= this.probes);
  }

  async execute<T>(fn: (context: IDefaultPolicyContext) => PromiseLike<T> | T, signal?: AbortSignal): Promise<T> {
    this.admit();
    try {
      return await this.inner.execute(fn, signal);
    } catch (error) {
      if (error instanceof BrokenCircuitError || error instanceof IsolatedCircuitError) throw this.openError();
      throw error;
    }
  }

  private admit(): void {
    if (this.isOpen()) throw this.openError();
    if (this.state === 'half-open') this.probesAdmitted++;
  }

  private breakElapsed(): boolean {
    return Date.now() - this.openedAt >= this.options.halfOpenAfterMs;
  }

  private openError(): UnavailableError {
    const when = this.state === 'open' ? `until ${new Date(this.halfOpenAt).toISOString()}` : `while ${this.probes} probe(s) decide`;
    if (this.options.scope === 'instance') return new InstanceCircuitOpenError(`Circuit for instance "${this.upstream}" is open ${when}`);
    return new UnavailableError(`Circuit for upstream "${this.upstream}" is open ${when}`, 'circuit-open');
  }

  private changed(state: BreakerState): void {
    if (state !== 'half-open') this.probesAdmitted = 0;
    if (state === 'open') this.openedAt = Date.now();
    this.changes.emit(state);
    const upstream = this.upstream;
    if (state === 'open') this.listener.onEvent({ upstream, kind: 'breaker-open', halfOpenAt: this.halfOpenAt });
    else this.listener.onEvent({ upstream, kind: state === 'closed' ? 'breaker-closed' : 'breaker-half-open' });
  }
}

/** Returns a circuit breaker for calls to `upstream`; share it between all calls to that upstream. */
export function breakerPolicy(upstream: string, options: BreakerPolicyOptions): UpstreamBreakerPolicy {
  return new UpstreamBreakerPolicy(upstream, options);
}
