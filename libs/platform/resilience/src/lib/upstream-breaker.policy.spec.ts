import { NotFoundError, UnavailableError, ValidationError } from '@nestkit/errors';
import type { ResilienceEvent } from './resilience-event';
import { InstanceCircuitOpenError } from './instance-circuit-open.error';
import { type BreakerPolicyOptions, type BreakerState, breakerPolicy, UpstreamBreakerPolicy } from './upstream-breaker.policy';

const fault = () => Promise.reject(new UnavailableError('503 from catalog'));
const ok = () => Promise.resolve('ok');

function upstreamCounter() {
  let calls = 0;
  return {
    get calls() {
      return calls;
    },
    wrap<T>(fn: () => Promise<T>) {
      return () => {
        calls++;
        return fn();
      };
    },
  };
}

async function failTimes(sut: UpstreamBreakerPolicy, times: number): Promise<void> {
  for (let i = 0; i < times; i++) await sut.execute(fault).catch(() => undefined);
}

describe(UpstreamBreakerPolicy.name, () => {
  const start = 1_700_000_000_000;
  let events: ResilienceEvent[];
  let transitions: BreakerState[];
  const consecutive = (extra: Partial<BreakerPolicyOptions> = {}) => {
    const sut = breakerPolicy('catalog', {
      mode: 'consecutive',
      threshold: 3,
      halfOpenAfterMs: 1_000,
      listener: { onEvent: (event) => events.push(event) },
      ...extra,
    } as BreakerPolicyOptions);
    sut.onStateChange((state) => transitions.push(state));
    return sut;
  };

  beforeEach(() => {
    vi.useFakeTimers({ now: start });
    events = [];
    transitions = [];
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it('opens exactly at the threshold, not one fault before', async () => {
    const sut = consecutive();
    await failTimes(sut, 2);
    expect(sut.state).toBe('closed');
    await failTimes(sut, 1);
    expect(sut.state).toBe('open');
    expect(transitions).toEqual(['open']);
    expect(events).toEqual([{ upstream: 'catalog', kind: 'breaker-open', halfOpenAt: start + 1_000 }]);
  });

  it('resets the consecutive count on a success', async () => {
    const sut = consecutive();
    await failTimes(sut, 2);
    await sut.execute(ok);
    await failTimes(sut, 2);
    expect(sut.state).toBe('closed');
  });

  it('fails fast with circuit-open and makes no downstream call while open', async () => {
    const sut = consecutive();
    await failTimes(sut, 3);
    const upstream = upstreamCounter();
    const outcome = sut.execute(upstream.wrap(ok));
    await expect(outcome).rejects.toBeInstanceOf(UnavailableError);
    await expect(outcome).rejects.toMatchObject({ code: 'circuit-open', kind: 'unavailable' });
    await expect(outcome).rejects.toThrow(`Circuit for upstream "catalog" is open until ${new Date(start + 1_000).toISOString()}`);
    expect(upstream.calls).toBe(0);
  });

  it('turns half-open exactly at halfOpenAfterMs and still rejects at -1 ms', async () => {
    const sut = consecutive();
    await failTimes(sut, 3);
    const upstream = upstreamCounter();
    vi.advanceTimersByTime(999);
    expect(sut.state).toBe('open');
    await expect(sut.execute(upstream.wrap(ok))).rejects.toMatchObject({ code: 'circuit-open' });
    expect(upstream.calls).toBe(0);
    vi.advanceTimersByTime(1);
    expect(sut.state).toBe('half-open');
    expect(sut.isOpen()).toBe(false);
    await expect(sut.execute(upstream.wrap(ok))).resolves.toBe('ok');
    expect(upstream.calls).toBe(1);
  });

  it.each([1, 3])('lets exactly %i probe(s) through while half-open and fails the rest fast', async (probes) => {
    const sut = consecutive({ halfOpenProbes: probes });
    await failTimes(sut, 3);
    vi.advanceTimersByTime(1_000);
    const upstream = upstreamCounter();
    const releases: Array<() => void> = [];
    const slow = () => new Promise<string>((resolve) => releases.push(() => resolve('ok')));
    const inFlight = Array.from({ length: probes }, () => sut.execute(upstream.wrap(slow)));
    await expect(sut.execute(upstream.wrap(ok))).rejects.toMatchObject({ code: 'circuit-open' });
    expect(sut.isOpen()).toBe(true);
    expect(upstream.calls).toBe(probes);
    releases.forEach((release) => release());
    await Promise.all(inFlight);
    expect(sut.state).toBe('closed');
    expect(transitions).toEqual(['open', 'half-open', 'closed']);
  });

  it('closes only after all k probes succeed', async () => {
    const sut = consecutive({ halfOpenProbes: 2 });
    await failTimes(sut, 3);
    vi.advanceTimersByTime(1_000);
    await sut.execute(ok);
    expect(sut.state).toBe('half-open');
    await sut.execute(ok);
    expect(sut.state).toBe('closed');
    expect(events.map((event) => event.kind)).toEqual(['breaker-open', 'breaker-half-open', 'breaker-closed']);
  });

  it('re-opens on a failed probe for another full break', async () => {
    const sut = consecutive();
    await failTimes(sut, 3);
    vi.advanceTimersByTime(1_000);
    await failTimes(sut, 1);
    expect(sut.state).toBe('open');
    expect(sut.halfOpenAt).toBe(start + 2_000);
    vi.advanceTimersByTime(999);
    expect(sut.state).toBe('open');
    vi.advanceTimersByTime(1);
    expect(sut.state).toBe('half-open');
    expect(transitions).toEqual(['open', 'half-open', 'open']);
  });

  it.each([
    ['ValidationError', new ValidationError('bad input', [])],
    ['NotFoundError', new NotFoundError('no such product')],
  ])('never opens on %s and passes it through', async (_name, error) => {
    const sut = consecutive({ threshold: 1 });
    for (let i = 0; i < 10; i++) await expect(sut.execute(() => Promise.reject(error))).rejects.toBe(error);
    expect(sut.state).toBe('closed');
    expect(transitions).toEqual([]);
  });

  it('in rate mode opens only above the threshold once minimumCalls are in the window', async () => {
    const sut = breakerPolicy('catalog', { mode: 'rate', threshold: 0.5, minimumCalls: 10, windowMs: 10_000, halfOpenAfterMs: 1_000 });
    await failTimes(sut, 9);
    expect(sut.state).toBe('closed');
    for (let i = 0; i < 9; i++) await sut.execute(ok);
    expect(sut.state).toBe('closed');
    await failTimes(sut, 1);
    expect(sut.state).toBe('open');
  });

  it.each([7_500, 3_333])('in rate mode counts exactly minimumCalls over a %i ms window', async (windowMs) => {
    const sut = breakerPolicy('catalog', { mode: 'rate', threshold: 0.5, minimumCalls: 4, windowMs, halfOpenAfterMs: 1_000 });
    await failTimes(sut, 3);
    expect(sut.state).toBe('closed');
    await failTimes(sut, 1);
    expect(sut.state).toBe('open');
  });

  it('in rate mode stays closed at exactly the threshold rate', async () => {
    const sut = breakerPolicy('catalog', { mode: 'rate', threshold: 0.5, minimumCalls: 10, windowMs: 10_000, halfOpenAfterMs: 1_000 });
    for (let i = 0; i < 5; i++) await sut.execute(ok);
    await failTimes(sut, 5);
    expect(sut.state).toBe('closed');
    await failTimes(sut, 1);
    expect(sut.state).toBe('open');
  });

  it("does not count an instance breaker's refusal: never opens on it, and a half-open probe refused so closes instead of re-opening", async () => {
    const refused = () => Promise.reject(new InstanceCircuitOpenError('Circuit for instance "catalog-1" is open'));
    const sut = consecutive();
    for (let i = 0; i < 10; i++) await expect(sut.execute(refused)).rejects.toBeInstanceOf(InstanceCircuitOpenError);
    expect(sut.state).toBe('closed');

    await failTimes(sut, 3);
    vi.advanceTimersByTime(1_000);
    // The probe reached no instance: it is no evidence that the upstream is still down.
    await expect(sut.execute(refused)).rejects.toMatchObject({ code: 'circuit-open' });
    expect(sut.state).toBe('closed');
    expect(transitions).toEqual(['open', 'half-open', 'closed']);
  });
});

