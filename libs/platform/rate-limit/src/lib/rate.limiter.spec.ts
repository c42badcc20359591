import type { RateLimitPolicy } from './rate-limit.policy';
import { RateLimiter } from './rate.limiter';

const policy: RateLimitPolicy = { name: 'api', limit: 3, windowMs: 60_000 };

async function consumeTimes(sut: RateLimiter, times: number, identity = 'user-1', p = policy) {
  const decisions = [];
  for (let i = 0; i < times; i++) decisions.push(await sut.consume(p, identity));
  return decisions;
}

describe(RateLimiter.name, () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: new Date('2025-01-01T00:00:00Z') });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  describe('memory store', () => {
    it('allows exactly the limit in a window, counting remaining down, then refuses with Retry-After', async () => {
      const sut = new RateLimiter({ store: 'memory', onStoreError: 'closed' });

      const decisions = await consumeTimes(sut, 5);

      expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, false, false]);
      expect(decisions.map((d) => d.remaining)).toEqual([2, 1, 0, 0, 0]);
      expect(decisions[0]).toEqual({
        allowed: true,
        degraded: false,
        limit: 3,
        remaining: 2,
        resetMs: 60_000,
        headers: { 'RateLimit-Policy': '"api";q=3;w=60', RateLimit: '"api";r=2;t=60' },
      });
      await vi.advanceTimersByTimeAsync(20_500);
      const refused = await sut.consume(policy, 'user-1');
      expect(refused).toEqual({
        allowed: false,
        reason: 'limit',
        degraded: false,
        limit: 3,
        remaining: 0,
        resetMs: 39_500,
        headers: { 'RateLimit-Policy': '"api";q=3;w=60', RateLimit: '"api";r=0;t=40', 'Retry-After': '40' },
      });
    });

    it('never sends Retry-After below 1 second, even in the last milliseconds of a window', async () => {
      const sut = new RateLimiter({ store: 'memory', onStoreError: 'closed' });
      await consumeTimes(sut, 3);
      await vi.advanceTimersByTimeAsync(59_999);

      const refused = await sut.consume(policy, 'user-1');

      expect(refused.allowed).toBe(false);
      expect(refused.resetMs).toBe(1);
      expect(refused.headers['Retry-After']).toBe('1');
    });

    it('starts a fresh window once the window has passed', async () => {
      const sut = new RateLimiter({ store: 'memory', onStoreError: 'closed' });
      await consumeTimes(sut, 4);

      await vi.advanceTimersByTimeAsync(60_000);
      const decisions = await consumeTimes(sut, 4);

      expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, false]);
      expect(decisions[0]?.headers['RateLimit']).toBe('"api";r=2;t=60');
    });

    it('counts each identity and each policy on its own', async () => {
      const sut = new RateLimiter({ store: 'memory', onStoreError: 'closed' });
      const login: RateLimitPolicy = { name: 'login', limit: 1, windowMs: 1_000 };
      await consumeTimes(sut, 3, 'user-1');

      expect((await sut.consume(policy, '10.0.0.7')).allowed).toBe(true);
      expect((await sut.consume(login, 'user-1')).allowed).toBe(true);
      expect((await sut.consume(login, 'user-1')).headers['RateLimit-Policy']).toBe('"login";q=1;w=1');
      expect((await sut.consume(policy, 'user-1')).allowed).toBe(false);
    });

    it('shares one count between equal policy objects of the same name', async () => {
      const sut = new RateLimiter({ store: 'memory', onStoreError: 'closed' });
      await consumeTimes(sut, 3);

      const decision = await sut.consume({ ...policy }, 'user-1');

      expect(decision.allowed).toBe(false);
    });

    it('rejects two different policies under one name, and policies it cannot enforce', async () => {
      const sut = new RateLimiter({ store: 'memory', onStoreError: 'closed' });
      await sut.consume(policy, 'user-1');

      await expect(sut.consume({ name: 'api', limit: 10, windowMs: 60_000 }, 'user-1')).rejects.toThrow(/"api" is used with 10 per 60000 ms and with 3 per 60000 ms/);
      await expect(sut.consume({ name: 'half', limit: 1, windowMs: 1_500 }, 'u')).rejects.toThrow(/windowMs must be whole seconds/);
      await expect(sut.consume({ name: 'zero', limit: 0, windowMs: 1_000 }, 'u')).rejects.toThrow(/limit must be a whole number/);
      await expect(sut.consume({ name: '', limit: 1, windowMs: 1_000 }, 'u')).rejects.toThrow(/printable ASCII/);
    });

    it('escapes the policy name as a structured-field string', async () => {
      const sut = new RateLimiter({ store: 'memory', onStoreError: 'closed' });

      const decision = await sut.consume({ name: 'a"b\\c', limit: 2, windowMs: 2_000 }, 'u');

      expect(decision.headers).toEqual({ 'RateLimit-Policy': '"a\\"b\\\\c";q=2;w=2', RateLimit: '"a\\"b\\\\c";r=1;t=2' });
    });

    it('refuses to decide after close', async () => {
      const sut = new RateLimiter({ store: 'memory', onStoreError: 'open' });
      await sut.close();

      await expect(sut.consume(policy, 'user-1')).rejects.toThrow(/RateLimiter is closed/);
    });
  });
});
