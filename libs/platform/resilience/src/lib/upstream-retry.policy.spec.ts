import { RecordingResilienceListener } from '../testing';
import { AppError, NotFoundError, UnavailableError, ValidationError } from '@nestkit/errors';
import { TaskCancelledError } from 'cockatiel';
import { RetryBudget } from './retry.budget';
import { retryPolicy, UpstreamRetryPolicy } from './upstream-retry.policy';

const ample = () => new RetryBudget({ ratio: 1, minRetriesPerSecond: 100 });

function failingUpstream(error: unknown = new UnavailableError('catalog is down')) {
  const attempts: number[] = [];
  const call = ({ attempt }: { attempt: number }) => {
    attempts.push(attempt);
    return Promise.reject(error);
  };
  return { attempts, call };
}

describe(UpstreamRetryPolicy.name, () => {
  let listener: RecordingResilienceListener;

  beforeEach(() => {
    vi.useFakeTimers();
    listener = new RecordingResilienceListener();
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it('retries after exactly base x 2^n ms, capped, with jitter none, then throws the last error', async () => {
    const sut = retryPolicy('catalog', { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 250, jitter: 'none', budget: ample(), listener });
    const upstream = failingUpstream();
    const done = sut.execute(upstream.call);
    done.catch(() => undefined);

    for (const [elapsed, calls] of [[0, 1], [99, 1], [1, 2], [199, 2], [1, 3], [249, 3], [1, 4]] as const) {
      await vi.advanceTimersByTimeAsync(elapsed);
      expect(upstream.attempts).toHaveLength(calls);
    }
    await expect(done).rejects.toThrow('catalog is down');
    expect(upstream.attempts).toEqual([0, 1, 2, 3]);
    expect(listener.events).toEqual([
      { upstream: 'catalog', kind: 'retry', attempt: 1, delayMs: 100 },
      { upstream: 'catalog', kind: 'retry', attempt: 2, delayMs: 200 },
      { upstream: 'catalog', kind: 'retry', attempt: 3, delayMs: 250 },
    ]);
  });

  it('draws full-jitter delays in [0, capped exponential) from the injected rng', async () => {
    const draws = [0.5, 0.25, 0.999];
    const rng = () => draws.shift() ?? 0;
    const sut = retryPolicy('catalog', { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 250, jitter: 'full', rng, budget: ample(), listener });
    const upstream = failingUpstream();
    const done = sut.execute(upstream.call);
    done.catch(() => undefined);

    await vi.advanceTimersByTimeAsync(49);
    expect(upstream.attempts).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(upstream.attempts).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(50 + 249);
    await expect(done).rejects.toBeInstanceOf(UnavailableError);
    expect(listener.events.map((event) => event.kind === 'retry' && event.delayMs)).toEqual([50, 50, 249]);
  });

  it('returns the first success and hands each attempt its number', async () => {
    const sut = retryPolicy('catalog', { maxAttempts: 5, baseDelayMs: 10, maxDelayMs: 1_000, jitter: 'none', budget: ample() });
    const seen: number[] = [];
    const done = sut.execute(({ attempt }) => {
      seen.push(attempt);
      return attempt < 2 ? Promise.reject(new Error('reset')) : Promise.resolve('product');
    });
    await vi.advanceTimersByTimeAsync(30);
    await expect(done).resolves.toBe('product');
    expect(seen).toEqual([0, 1, 2]);
  });

  it.each([
    ['ValidationError', new ValidationError('bad input', [])],
    ['NotFoundError', new NotFoundError('no such product')],
    ['a non-retryable fault', new AppError('broken', { code: 'bug', kind: 'internal', retryable: false })],
  ])('calls once and rethrows %s', async (_name, error) => {
    const sut = retryPolicy('catalog', { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 100, budget: ample(), listener });
    const upstream = failingUpstream(error);
    await expect(sut.execute(upstream.call)).rejects.toBe(error);
    expect(upstream.attempts).toEqual([0]);
    expect(listener.events).toEqual([]);
  });

  it('retries unknown errors as faults', async () => {
    const sut = retryPolicy('catalog', { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 100, jitter: 'none', budget: ample() });
    const upstream = failingUpstream(new Error('ECONNRESET'));
    const done = sut.execute(upstream.call);
    done.catch(() => undefined);
    await vi.advanceTimersByTimeAsync(10);
    await expect(done).rejects.toThrow('ECONNRESET');
    expect(upstream.attempts).toEqual([0, 1]);
  });

  it('stops at once when the caller aborts during the backoff, and never calls again', async () => {
    const sut = retryPolicy('catalog', { maxAttempts: 3, baseDelayMs: 1_000, maxDelayMs: 1_000, jitter: 'none', budget: ample() });
    const caller = new AbortController();
    const upstream = failingUpstream();
    const done = sut.execute(upstream.call, caller.signal);
    done.catch(() => undefined);
    await vi.advanceTimersByTimeAsync(500);
    caller.abort();
    await expect(done).rejects.toBeInstanceOf(TaskCancelledError);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(upstream.attempts).toEqual([0]);
  });

  it('throws the original error at once when the budget is spent', async () => {
    const budget = new RetryBudget({ ratio: 0, minRetriesPerSecond: 0 });
    const sut = retryPolicy('catalog', { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 100, budget, listener });
    const failure = new UnavailableError('catalog is down');
    const upstream = failingUpstream(failure);
    await expect(sut.execute(upstream.call)).rejects.toBe(failure);
    expect(upstream.attempts).toEqual([0]);
    expect(vi.getTimerCount()).toBe(0);
    expect(listener.events).toEqual([{ upstream: 'catalog', kind: 'retry-budget-exhausted' }]);
  });

  it.each([
    [0, 120],
    [1, 130],
  ])('keeps a 100%%-failing upstream at 1.2x its requests (+ floor of %i retry/s)', async (minRetriesPerSecond, maxCalls) => {
    const budget = new RetryBudget({ ratio: 0.2, minRetriesPerSecond, windowMs: 10_000 });
    const sut = retryPolicy('catalog', { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 1, jitter: 'none', budget });
    const upstream = failingUpstream();
    for (let request = 0; request < 100; request++) {
      const done = sut.execute(upstream.call);
      done.catch(() => undefined);
      await vi.advanceTimersByTimeAsync(2);
      await expect(done).rejects.toBeInstanceOf(UnavailableError);
    }
    expect(upstream.attempts).toHaveLength(maxCalls);
  });

  it('rejects a maxAttempts below 1', () => {
    expect(() => retryPolicy('catalog', { maxAttempts: 0, baseDelayMs: 1, maxDelayMs: 1 })).toThrow(RangeError);
  });
});
