import { NotFoundError, UnavailableError } from '@nestkit/errors';
import { RecordingResilienceListener } from '../testing';
import { adaptiveLimitPolicy, UpstreamAdaptiveLimitPolicy } from './upstream-adaptive-limit.policy';

function held() {
  const releases: Array<() => void> = [];
  const call = () => new Promise<void>((resolve) => releases.push(resolve));
  return { call, releaseAll: () => releases.splice(0).forEach((release) => release()) };
}

describe(UpstreamAdaptiveLimitPolicy.name, () => {
  let listener: RecordingResilienceListener;

  beforeEach(() => {
    listener = new RecordingResilienceListener();
  });

  it('lets exactly `limit` calls run and fails the next one at once with concurrency-limit', async () => {
    const sut = adaptiveLimitPolicy('catalog', { initialLimit: 2, listener });
    const { call, releaseAll } = held();
    const running = [sut.execute(call), sut.execute(call)];
    const rejected = sut.execute(call);
    await expect(rejected).rejects.toBeInstanceOf(UnavailableError);
    await expect(rejected).rejects.toMatchObject({ code: 'concurrency-limit', message: expect.stringContaining('"catalog"') });
    expect(listener.events).toEqual([{ upstream: 'catalog', kind: 'limit-rejected', limit: 2 }]);
    releaseAll();
    await Promise.all(running);
    expect(sut.limiter.inFlight).toBe(0);
  });

  it('grows the limit by one after a good call at full use', async () => {
    const sut = adaptiveLimitPolicy('catalog', { initialLimit: 2 });
    const { call, releaseAll } = held();
    const running = [sut.execute(call), sut.execute(call)];
    releaseAll();
    await Promise.all(running);
    // Released at 2/2 in use, then at 1/3 (below half): one step up only.
    expect(sut.limiter.limit).toBe(3);
  });

  it('shrinks the limit on a fault and passes the error through', async () => {
    const sut = adaptiveLimitPolicy('catalog', { initialLimit: 10, backoffRatio: 0.5 });
    await expect(sut.execute(() => Promise.reject(new UnavailableError('down')))).rejects.toThrow('down');
    expect(sut.limiter.limit).toBe(5);
    expect(sut.limiter.inFlight).toBe(0);
  });

  it('does not shrink on a business error', async () => {
    const sut = adaptiveLimitPolicy('catalog', { initialLimit: 10, backoffRatio: 0.5 });
    await expect(sut.execute(() => Promise.reject(new NotFoundError('no such order')))).rejects.toBeInstanceOf(NotFoundError);
    expect(sut.limiter.limit).toBe(10);
  });

  it('shrinks on a slow call', async () => {
    vi.useFakeTimers();
    try {
      const sut = adaptiveLimitPolicy('catalog', { initialLimit: 10, backoffRatio: 0.5, slowCallMs: 100 });
      const done = sut.execute(() => new Promise<string>((resolve) => setTimeout(() => resolve('late'), 150)));
      await vi.advanceTimersByTimeAsync(150);
      await expect(done).resolves.toBe('late');
      expect(sut.limiter.limit).toBe(5);
    } finally {
      vi.useRealTimers();
    }
  });
});
