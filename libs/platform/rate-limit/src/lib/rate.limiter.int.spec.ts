import { infraUrls, PrivateRedis, uniqueName, waitFor } from '@nestkit/testing';
import type { Redis } from 'ioredis';
import type { RateLimitDecision, RateLimitPolicy } from './rate-limit.policy';
import { createRateLimitRedis } from './rate-limit.redis';
import { RateLimiter } from './rate.limiter';

async function readyClient(url: string, timeoutMs: number): Promise<Redis> {
  const client = createRateLimitRedis(url, { timeoutMs });
  await waitFor(() => client.status === 'ready', { what: `Redis at ${url} (run: bash scripts/infra/up.sh redis)`, timeoutMs: 5_000, intervalMs: 10 });
  return client;
}

describe(`${RateLimiter.name} on Redis`, () => {
  const clients: Redis[] = [];
  afterEach(async () => {
    // The inner afterEach may already have killed a private Redis, so a QUIT can find the connection gone.
    await Promise.all(clients.splice(0).map((client) => client.quit().catch(() => client.disconnect())));
  });

  it('shares one limit between two limiters with their own clients, counting atomically', async () => {
    const { redisUrl } = infraUrls();
    const [a, b] = [await readyClient(redisUrl, 2_000), await readyClient(redisUrl, 2_000)];
    clients.push(a, b);
    const keyPrefix = uniqueName('rl-int');
    const policy: RateLimitPolicy = { name: 'shared', limit: 50, windowMs: 60_000 };
    const gatewayA = new RateLimiter({ store: a, onStoreError: 'closed', timeoutMs: 2_000, keyPrefix });
    const gatewayB = new RateLimiter({ store: b, onStoreError: 'closed', timeoutMs: 2_000, keyPrefix });

    const decisions = await Promise.all(Array.from({ length: 2 * policy.limit }, (_, i) => (i % 2 ? gatewayA : gatewayB).consume(policy, 'user-1')));

    expect(decisions.filter((d) => d.degraded)).toEqual([]);
    expect(decisions.filter((d) => d.allowed)).toHaveLength(policy.limit);
    expect(decisions.filter((d) => d.reason === 'limit').every((d) => Number(d.headers['Retry-After']) >= 1)).toBe(true);
    expect(await a.get(`${keyPrefix}:shared:user-1`)).toBe(String(2 * policy.limit));
    expect(await a.pttl(`${keyPrefix}:shared:user-1`)).toBeGreaterThan(50_000);
    await a.del(`${keyPrefix}:shared:user-1`);
    await Promise.all([gatewayA.close(), gatewayB.close()]);
  });

  describe.each(['open', 'closed'] as const)("with onStoreError '%s' when Redis dies mid-run", (mode) => {
    let privateRedis: PrivateRedis;
    beforeEach(async () => {
      privateRedis = await PrivateRedis.start();
    });
    afterEach(async () => {
      await privateRedis.stop();
    });

    it('times out on a frozen Redis, per the mode, and counts again once it thaws', async () => {
      const timeoutMs = 100;
      const client = await readyClient(privateRedis.url, timeoutMs);
      clients.push(client);
      const sut = new RateLimiter({ store: client, onStoreError: mode, timeoutMs, keyPrefix: uniqueName('rl-int'), onError: () => undefined });
      const policy: RateLimitPolicy = { name: 'frozen', limit: 1_000, windowMs: 60_000 };
      expect((await sut.consume(policy, 'user-1')).degraded).toBe(false);

      privateRedis.freeze();
      const frozen: { decision: RateLimitDecision; ms: number }[] = [];
      try {
        for (let i = 0; i < 5; i++) {
          const started = performance.now();
          frozen.push({ decision: await sut.consume(policy, 'user-1'), ms: performance.now() - started });
        }
      } finally {
        privateRedis.thaw();
      }

      expect(frozen.every(({ decision }) => decision.degraded && decision.allowed === (mode === 'open'))).toBe(true);
      expect(Math.min(...frozen.map((f) => f.ms))).toBeGreaterThanOrEqual(timeoutMs - 5);
      expect(Math.max(...frozen.map((f) => f.ms))).toBeLessThan(timeoutMs + 100);
      const thawed = await waitFor(async () => {
        const decision = await sut.consume(policy, 'user-1');
        return decision.degraded ? undefined : decision;
      }, { what: 'a counted decision after SIGCONT', timeoutMs: 5_000 });
      expect(thawed.allowed).toBe(true);
      expect(sut.storeFailures).toBeGreaterThanOrEqual(5);
    });

    it('decides every request within the timeout, per the mode', async () => {
      const timeoutMs = 100;
      const client = await readyClient(privateRedis.url, timeoutMs);
      clients.push(client);
      const errors: Error[] = [];
      const sut = new RateLimiter({ store: client, onStoreError: mode, timeoutMs, keyPrefix: uniqueName('rl-int'), onError: (e) => errors.push(e) });
      const policy: RateLimitPolicy = { name: 'chaos', limit: 10_000, windowMs: 60_000 };
      const results: { decision: RateLimitDecision; ms: number; afterExit: boolean }[] = [];
      let exited = false;
      let running = true;
      const worker = async () => {
        while (running && results.length < 20_000) {
          const afterExit = exited;
          const started = performance.now();
          const decision = await sut.consume(policy, 'user-1');
          results.push({ decision, ms: performance.now() - started, afterExit });
          // A dead store answers within microtasks; yield so the exit event and waitFor's timer can run.
          await new Promise((resolve) => setImmediate(resolve));
        }
      };
      const workers = Array.from({ length: 4 }, worker);

      await waitFor(() => results.length >= 40, { what: '40 decisions while Redis is up' });
      await privateRedis.kill();
      exited = true;
      await waitFor(() => results.filter((r) => r.afterExit).length >= 200, { what: '200 decisions after Redis died' });
      running = false;
      await Promise.all(workers);

      const before = results.filter((r) => !r.afterExit);
      const after = results.filter((r) => r.afterExit);
      expect(before.slice(0, 40).every((r) => r.decision.allowed && !r.decision.degraded)).toBe(true);
      expect(after.every((r) => r.decision.degraded)).toBe(true);
      if (mode === 'open') {
        expect(results.every((r) => r.decision.allowed)).toBe(true);
      } else {
        expect(after.every((r) => !r.decision.allowed && r.decision.reason === 'store-unavailable')).toBe(true);
      }
      expect(Math.max(...results.map((r) => r.ms))).toBeLessThan(timeoutMs + 100);
      expect(sut.storeFailures).toBeGreaterThanOrEqual(after.length);
      expect(errors[0]?.message).toMatch(new RegExp(`rate limit store redis 127\\.0\\.0\\.1:\\d+ failed for policy "chaos"`));
    });
  });
});
