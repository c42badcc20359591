import { UnavailableError } from '@nestkit/errors';
import { CircuitState, type IBreaker } from 'cockatiel';
import { InstanceCircuitOpenError } from './instance-circuit-open.error';
import { ignoreEvents, type ResilienceListener } from './resilience-event';
import { type BreakerPolicyOptions, type BreakerState, tripOf } from './upstream-breaker.policy';

/** What {@link CircuitBreaker.acquire} hands out: a call made while closed, or a half-open probe. */
export type BreakerPermit = number;

/** The permit of a call admitted while the breaker was closed. */
const CLOSED_PERMIT = 0;

/**
 * A circuit breaker as a permit: `acquire()` before the call (throws `circuit-open` when it must fail
 * fast), `release(permit, fault)` once its outcome is known. The caller decides what a fault is, so an
 * HTTP client can count a 503 answer it returns as a value without throwing it. Same semantics as
 * {@link UpstreamBreakerPolicy} (whose wrapper style needs a closure and a thrown error per call): opens
 * by cockatiel's `ConsecutiveBreaker` or `SamplingBreaker`; after `halfOpenAfterMs` exactly
 * `halfOpenProbes` calls go through and any other fails fast; all probes must succeed to close, one fault
 * re-opens for another full break. A non-fault (a business answer, a cancellation, an instance breaker's
 * refusal) counts as a success, as it does for cockatiel. Hand-written because cockatiel's breaker only
 * runs functions.
 */
export class CircuitBreaker {
  private readonly trip: IBreaker;
  private readonly probes: number;
  private readonly listener: ResilienceListener;
  private current: BreakerState = 'closed';
  private openedAt = 0;
  // Identifies the current half-open period, so a probe from an earlier one cannot decide this one.
  private generation = 0;
  private probesAdmitted = 0;
  private probesSucceeded = 0;

  constructor(
    /** The upstream (or instance id) named in errors and events. */
    readonly name: string,
    private readonly options: BreakerPolicyOptions,
  ) {
    this.trip = tripOf(options);
    this.probes = options.halfOpenProbes ?? 1;
    this.listener = options.listener ?? ignoreEvents;
  }

  /** The state now; an open breaker whose break has elapsed already reads `half-open`. */
  get state(): BreakerState {
    return this.current === 'open' && this.breakElapsed() ? 'half-open' : this.current;
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

  /**
   * Admits one call and returns its permit, or throws `UnavailableError` code `circuit-open`
   * ({@link InstanceCircuitOpenError} for `scope: 'instance'`) without calling anything.
   */
  acquire(): BreakerPermit {
    if (this.current === 'closed') return CLOSED_PERMIT;
    if (this.isOpen()) throw this.openError();
    if (this.current === 'open') this.transition('half-open');
    this.probesAdmitted++;
    return this.generation;
  }

  /** Reports the outcome of the call admitted with `permit`: `fault` when it says the upstream is unwell. */
  release(permit: BreakerPermit, fault: boolean): void {
    if (permit === CLOSED_PERMIT) {
      // A call admitted before the breaker opened says nothing about the probes that decide it now.
      if (this.current !== 'closed') return;
      if (!fault) return this.trip.success(CircuitState.Closed);
      if (this.trip.failure(CircuitState.Closed)) this.open();
      return;
    }
    if (this.current !== 'half-open' || permit !== this.generation) return;
    if (fault) {
      this.trip.failure(CircuitState.HalfOpen);
      return this.open();
    }
    if (++this.probesSucceeded < this.probes) return;
    this.trip.success(CircuitState.HalfOpen);
    this.transition('closed');
  }

  private open(): void {
    this.openedAt = Date.now();
    this.transition('open');
  }

  private transition(state: BreakerState): void {
    this.current = state;
    this.probesAdmitted = 0;
    this.probesSucceeded = 0;
    if (state === 'half-open') this.generation++;
    const upstream = this.name;
    if (state === 'open') this.listener.onEvent({ upstream, kind: 'breaker-open', halfOpenAt: this.halfOpenAt });
    else this.listener.onEvent({ upstream, kind: state === 'closed' ? 'breaker-closed' : 'breaker-half-open' });
  }

  private breakElapsed(): boolean {
    return Date.now() - this.openedAt >= this.options.halfOpenAfterMs;
  }

  private openError(): UnavailableError {
    const when = this.state === 'open' ? `until ${new Date(this.halfOpenAt).toISOString()}` : `while ${this.probes} probe(s) decide`;
    if (this.options.scope === 'instance') return new InstanceCircuitOpenError(`Circuit for instance "${this.name}" is open ${when}`);
    return new UnavailableError(`Circuit for upstream "${this.name}" is open ${when}`, 'circuit-open');
  }
}
