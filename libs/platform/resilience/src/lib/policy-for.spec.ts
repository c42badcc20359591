import { TimeoutError, UnavailableError } from '@nestkit/errors';
import type { IDefaultPolicyContext, IMergedPolicy, IPolicy } from 'cockatiel';
import { policyFor, RECOMMENDED_UPSTREAM_POLICY, type UpstreamPolicyOptions } from './policy-for';
import { RecordingResilienceListener } from '../testing';
import { RetryBudget } from './retry.budget';
import { UpstreamAdaptiveLimitPolicy } from './upstream-adaptive-limit.policy';
import { UpstreamBreakerPolicy } from './upstream-breaker.policy';
import { UpstreamBulkheadPolicy } from './upstream-bulkhead.policy';
import { UpstreamRetryPolicy } from './upstream-retry.policy';
import { UpstreamTimeoutPolicy } from './upstream-timeout.policy';

const hang = () => new Promise<never>(() => undefined);
const down = () => Promise.reject(new UnavailableError('503 from catalog'));

const full: UpstreamPolicyOptions = {
  timeoutMs: 100,
  bulkhead: { maxConcurrent: 1, maxQueued: 0 },
  breaker: { mode: 'consecutive', threshold: 1, halfOpenAfterMs: 10_000 },
  retry: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 10, jitter: 'none', budget: new RetryBudget({ minRetriesPerSecond: 100 }) },
};

describe(policyFor.name, () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('applies the upstream timeout', async () => {
    vi.useFakeTimers();
    const sut = policyFor('identity', { timeoutMs: 300 });
    expect(sut.wrapped).toEqual([expect.any(UpstreamTimeoutPolicy)]);
    const done = sut.execute(() => new Promise<never>(() => undefined));
    done.catch(() => undefined);
    await vi.advanceTimersByTimeAsync(300);
    await expect(done).rejects.toThrow(TimeoutError);
    await expect(done).rejects.toThrow('"identity" did not answer within 300 ms');
  });

  it('hands the call a cancellation signal', async () => {
    const sut = policyFor('identity', { timeoutMs: 300 });
    await expect(sut.execute(({ signal }) => signal instanceof AbortSignal)).resolves.toBe(true);
  });

  it('composes bulkhead -> breaker -> retry -> timeout, outermost first', () => {
    const sut = policyFor('catalog', full);
    expect(sut.wrapped).toEqual([
      expect.any(UpstreamBulkheadPolicy),
      expect.any(UpstreamBreakerPolicy),
      expect.any(UpstreamRetryPolicy),
      expect.any(UpstreamTimeoutPolicy),
    ]);
    expect(sut.wrapped.slice(0, 3)).toEqual([sut.bulkhead, sut.breaker, sut.retry]);
    expect((sut.withoutRetry as IMergedPolicy<IDefaultPolicyContext, never, IPolicy[]>).wrapped).toEqual([sut.bulkhead, sut.breaker, sut.wrapped[3]]);
  });

  it('puts the adaptive limit between the bulkhead and the breaker, with and without retry', () => {
    const sut = policyFor('catalog', { ...full, adaptiveLimit: { initialLimit: 4 } });
    expect(sut.wrapped.slice(0, 4)).toEqual([sut.bulkhead, sut.limit, sut.breaker, sut.retry]);
    expect(sut.limit).toBeInstanceOf(UpstreamAdaptiveLimitPolicy);
    expect(sut.limit?.limiter.limit).toBe(4);
    expect((sut.withoutRetry as IMergedPolicy<IDefaultPolicyContext, never, IPolicy[]>).wrapped.slice(0, 3)).toEqual([sut.bulkhead, sut.limit, sut.breaker]);
  });

  it('times out each attempt, not the whole call, and numbers the attempts', async () => {
    vi.useFakeTimers();
    const sut = policyFor('catalog', { ...full, breaker: undefined });
    const attempts: number[] = [];
    const done = sut.execute(({ attempt }) => (attempts.push(attempt ?? -1), hang()));
    done.catch(() => undefined);
    await vi.advanceTimersByTimeAsync(100 + 10 + 100 + 10 + 99);
    expect(attempts).toEqual([0, 1, 2]);
    await vi.advanceTimersByTimeAsync(1);
    await expect(done).rejects.toBeInstanceOf(TimeoutError);
  });

  it('counts a retried call once in the breaker and spends no retries while it is open', async () => {
    vi.useFakeTimers();
    const budget = new RetryBudget({ ratio: 0, minRetriesPerSecond: 1, windowMs: 10_000 });
    const sut = policyFor('catalog', { ...full, retry: { ...full.retry!, budget } });
    let calls = 0;
    const done = sut.execute(() => (calls++, down()));
    done.catch(() => undefined);
    await vi.advanceTimersByTimeAsync(20);
    await expect(done).rejects.toThrow('503 from catalog');
    expect([calls, sut.breaker?.state, budget.available()]).toEqual([3, 'open', 8]);

    await expect(sut.execute(() => (calls++, down()))).rejects.toMatchObject({ code: 'circuit-open' });
    expect([calls, budget.available()]).toEqual([3, 8]);
  });

  it('rejects overflow in the bulkhead before the breaker sees it', async () => {
    const sut = policyFor('catalog', full);
    let release = () => undefined as void;
    const running = sut.execute(() => new Promise<string>((resolve) => (release = () => resolve('ok'))));
    for (let i = 0; i < 3; i++) await expect(sut.execute(() => 'never')).rejects.toMatchObject({ code: 'bulkhead-full' });
    expect(sut.breaker?.state).toBe('closed');
    release();
    await expect(running).resolves.toBe('ok');
  });

  it('runs unsafe calls once through the same breaker', async () => {
    const sut = policyFor('catalog', full);
    let calls = 0;
    await expect(sut.withoutRetry.execute(() => (calls++, down()))).rejects.toBeInstanceOf(UnavailableError);
    expect(calls).toBe(1);
    await expect(sut.execute(() => (calls++, 'ok'))).rejects.toMatchObject({ code: 'circuit-open' });
  });

  it('sends the events of every part to one listener', async () => {
    vi.useFakeTimers();
    const listener = new RecordingResilienceListener();
    const sut = policyFor('catalog', { ...full, listener });
    const done = sut.execute(hang);
    done.catch(() => undefined);
    await vi.advanceTimersByTimeAsync(100 + 10 + 100 + 10 + 100);
    await expect(done).rejects.toBeInstanceOf(TimeoutError);
    expect(listener.kinds()).toEqual(['timeout', 'retry', 'timeout', 'retry', 'timeout', 'breaker-open']);
  });

  it('recommends a complete default', () => {
    expect(Object.keys(RECOMMENDED_UPSTREAM_POLICY).sort()).toEqual(['breaker', 'bulkhead', 'retry', 'timeoutMs']);
    expect(policyFor('catalog', RECOMMENDED_UPSTREAM_POLICY).wrapped).toHaveLength(4);
  });
});
