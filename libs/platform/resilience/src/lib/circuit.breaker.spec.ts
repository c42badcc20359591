import { UnavailableError } from '@nestkit/errors';
import { CircuitBreaker } from './circuit.breaker';
import { InstanceCircuitOpenError } from './instance-circuit-open.error';
import type { ResilienceEvent } from './resilience-event';
import type { BreakerPolicyOptions } from './upstream-breaker.policy';

describe(CircuitBreaker.name, () => {
  const start = 1_700_000_000_000;
  let events: ResilienceEvent[];
  const consecutive = (extra: Partial<BreakerPolicyOptions> = {}) =>
    new CircuitBreaker('catalog', {
      mode: 'consecutive',
      threshold: 3,
      halfOpenAfterMs: 1_000,
      listener: { onEvent: (event) => events.push(event) },
      ...extra,
    } as BreakerPolicyOptions);
  const fail = (sut: CircuitBreaker, times: number) => {
    for (let i = 0; i < times; i++) sut.release(sut.acquire(), true);
  };

  beforeEach(() => {
    vi.useFakeTimers({ now: start });
    events = [];
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('opens exactly at the threshold, and a success resets the consecutive count', () => {
    const sut = consecutive();
    fail(sut, 2);
    sut.release(sut.acquire(), false);
    fail(sut, 2);
    expect(sut.state).toBe('closed');
    fail(sut, 1);
    expect(sut.state).toBe('open');
    expect(events).toEqual([{ upstream: 'catalog', kind: 'breaker-open', halfOpenAt: start + 1_000 }]);
  });

  it('refuses with circuit-open while open, naming when it half-opens', () => {
    const sut = consecutive();
    fail(sut, 3);
    const refusal = (() => {
      try {
        sut.acquire();
      } catch (error) {
        return error;
      }
    })();
    expect(refusal).toBeInstanceOf(UnavailableError);
    expect(refusal).not.toBeInstanceOf(InstanceCircuitOpenError);
    expect(refusal).toMatchObject({ code: 'circuit-open', message: `Circuit for upstream "catalog" is open until ${new Date(start + 1_000).toISOString()}` });
  });

  it.each([1, 3])('admits exactly %i probe(s) at halfOpenAfterMs, not 1 ms before, and closes once all succeed', (probes) => {
    const sut = consecutive({ halfOpenProbes: probes });
    fail(sut, 3);
    vi.advanceTimersByTime(999);
    expect(() => sut.acquire()).toThrow('is open until');
    vi.advanceTimersByTime(1);
    expect(sut.state).toBe('half-open');
    const permits = Array.from({ length: probes }, () => sut.acquire());
    expect(() => sut.acquire()).toThrow(`while ${probes} probe(s) decide`);
    expect(sut.isOpen()).toBe(true);
    permits.forEach((permit) => sut.release(permit, false));
    expect(sut.state).toBe('closed');
    expect(events.map((event) => event.kind)).toEqual(['breaker-open', 'breaker-half-open', 'breaker-closed']);
  });

  it('re-opens for another full break on a failed probe, and ignores calls admitted before it opened', () => {
    const sut = consecutive();
    const early = sut.acquire();
    fail(sut, 3);
    vi.advanceTimersByTime(1_000);
    const probe = sut.acquire();
    sut.release(early, false);
    expect(sut.state).toBe('half-open');
    sut.release(probe, true);
    expect(sut.state).toBe('open');
    expect(sut.halfOpenAt).toBe(start + 2_000);
    vi.advanceTimersByTime(999);
    expect(sut.state).toBe('open');
    vi.advanceTimersByTime(1);
    expect(sut.state).toBe('half-open');
  });

  it('in rate mode opens only above the threshold once minimumCalls are in the window', () => {
    const sut = new CircuitBreaker('catalog', { mode: 'rate', threshold: 0.5, minimumCalls: 10, windowMs: 10_000, halfOpenAfterMs: 1_000 });
    for (let i = 0; i < 5; i++) sut.release(sut.acquire(), false);
    fail(sut, 5);
    expect(sut.state).toBe('closed');
    fail(sut, 1);
    expect(sut.state).toBe('open');
  });

  it('refuses with InstanceCircuitOpenError for an instance scope', () => {
    const sut = consecutive({ scope: 'instance', threshold: 1 });
    fail(sut, 1);
    expect(() => sut.acquire()).toThrow(InstanceCircuitOpenError);
    expect(() => sut.acquire()).toThrow('Circuit for instance "catalog" is open');
  });
});
