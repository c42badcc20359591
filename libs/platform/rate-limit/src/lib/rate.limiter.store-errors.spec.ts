import { FakeRateLimitRedis } from '../testing';
import type { RateLimitPolicy } from './rate-limit.policy';
import { RateLimitStoreError } from './rate-limit-store.error';
import { RateLimiter, type RateLimiterOptions } from './rate.limiter';

const policy: RateLimitPolicy = { name: 'api', limit: 2, windowMs: 10_000 };

function limiter(redis: FakeRateLimitRedis, options: Partial<RateLimiterOptions> = {}) {
  const errors: RateLimitStoreError[] = [];
  const sut = new RateLimiter({ store: redis.asRedis(), onStoreError: 'open', timeoutMs: 50, onError: (e) => errors.push(e), ...options });
  return { sut, errors };
}

describe(`${RateLimiter.name} with a Redis store`, () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: new Date('2025-01-01T00:00:00Z') });
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  it('counts through the store while it answers', async () => {
    const redis = new FakeRateLimitRedis();
    const { sut, errors } = limiter(redis);

    const decisions = [await sut.consume(policy, 'u'), await sut.consume(policy, 'u'), await sut.consume(policy, 'u')];

    expect(decisions.map((d) => [d.allowed, d.reason, d.degraded])).toEqual([
      [true, undefined, false],
      [true, undefined, false],
      [false, 'limit', false],
    ]);
    expect(decisions[2]?.headers).toEqual({ 'RateLimit-Policy': '"api";q=2;w=10', RateLimit: '"api";r=0;t=10', 'Retry-After': '10' });
    expect(redis.calls).toBe(3);
    expect(errors).toEqual([]);
    expect(sut.storeFailures).toBe(0);
  });

  it("lets every request through with onStoreError 'open' when the store fails, counting and reporting each failure", async () => {
    const redis = new FakeRateLimitRedis('failing');
    const { sut, errors } = limiter(redis, { onStoreError: 'open' });

    const decisions = [await sut.consume(policy, 'u'), await sut.consume(policy, 'u'), await sut.consume(policy, 'u')];

    for (const decision of decisions) {
      expect(decision).toEqual({ allowed: true, degraded: true, limit: 2, remaining: 2, resetMs: 0, headers: { 'RateLimit-Policy': '"api";q=2;w=10' } });
    }
    expect(sut.storeFailures).toBe(3);
    expect(errors).toHaveLength(3);
    expect(errors[0]).toBeInstanceOf(RateLimitStoreError);
    expect(errors[0]?.message).toMatch(/rate limit store redis fake-redis:0 failed for policy "api": connect ECONNREFUSED.*let through/);
    expect(errors[0]?.cause).toBeInstanceOf(Error);
  });

  it("refuses every request with reason 'store-unavailable' and Retry-After with onStoreError 'closed'", async () => {
    const redis = new FakeRateLimitRedis('failing');
    const { sut, errors } = limiter(redis, { onStoreError: 'closed' });

    const decision = await sut.consume(policy, 'u');

    expect(decision).toEqual({
      allowed: false,
      reason: 'store-unavailable',
      degraded: true,
      limit: 2,
      remaining: 0,
      resetMs: 1_000,
      headers: { 'RateLimit-Policy': '"api";q=2;w=10', 'Retry-After': '1' },
    });
    expect(errors[0]?.message).toMatch(/refused \(503\) \(onStoreError: 'closed'\)/);
  });

  it('gives up on a store that does not answer after timeoutMs', async () => {
    const redis = new FakeRateLimitRedis('hanging');
    const { sut, errors } = limiter(redis, { onStoreError: 'closed', timeoutMs: 50 });

    let settled = false;
    const pending = sut.consume(policy, 'u').finally(() => (settled = true));
    await vi.advanceTimersByTimeAsync(49);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);

    expect((await pending).reason).toBe('store-unavailable');
    expect(errors[0]?.message).toMatch(/no answer within 50 ms/);
  });

  it('does not send commands while the client is not connected', async () => {
    const redis = new FakeRateLimitRedis('not-ready');
    const { sut, errors } = limiter(redis);

    const decision = await sut.consume(policy, 'u');

    expect(decision.degraded).toBe(true);
    expect(redis.calls).toBe(0);
    expect(errors[0]?.message).toMatch(/Redis connection is not ready/);
  });

  it('counts again once the store recovers', async () => {
    const redis = new FakeRateLimitRedis('failing');
    const { sut } = limiter(redis, { onStoreError: 'closed' });
    expect((await sut.consume(policy, 'u')).reason).toBe('store-unavailable');

    redis.mode = 'healthy';
    const decisions = [await sut.consume(policy, 'u'), await sut.consume(policy, 'u'), await sut.consume(policy, 'u')];

    expect(decisions.map((d) => d.reason ?? 'ok')).toEqual(['ok', 'ok', 'limit']);
    expect(sut.storeFailures).toBe(1);
  });

  it('without onError, warns once per outage instead of once per request', async () => {
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    const redis = new FakeRateLimitRedis('failing');
    const sut = new RateLimiter({ store: redis.asRedis(), onStoreError: 'open' });

    await sut.consume(policy, 'u');
    await sut.consume(policy, 'u');
    redis.mode = 'healthy';
    await sut.consume(policy, 'u');
    redis.mode = 'failing';
    await sut.consume(policy, 'u');

    expect(warn).toHaveBeenCalledTimes(2);
    expect(warn.mock.calls[0]?.[0]).toBeInstanceOf(RateLimitStoreError);
    expect(sut.storeFailures).toBe(3);
  });

  it('still decides when onError throws', async () => {
    const redis = new FakeRateLimitRedis('failing');
    const sut = new RateLimiter({
      store: redis.asRedis(),
      onStoreError: 'open',
      onError: () => {
        throw new Error('logger down');
      },
    });

    expect((await sut.consume(policy, 'u')).allowed).toBe(true);
  });
});
