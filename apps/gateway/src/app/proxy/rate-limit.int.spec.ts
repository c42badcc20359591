import { randomBytes } from 'node:crypto';
import { infraUrls, PrivateRedis } from '@nestkit/testing';
import { GatewayHarness, TestUpstream, until } from '../testing/gateway-harness';

const L = 200;
const run = randomBytes(4).toString('hex');
const routes = (limit: number) => `
routes:
  - { path: /api/limited/*, service: limited, rewrite: { stripPrefix: /api/limited }, auth: public, rateLimit: { limit: ${limit}, window: 1m } }
  - { path: /api/limited-${run}/*, service: limited, rewrite: { stripPrefix: /api/limited-${run} }, auth: public, rateLimit: { limit: ${limit}, window: 1m } }
`;

interface Outcome {
  status: number;
  retryAfter: string | null;
  contentType: string | null;
  rateLimit: string | null;
  ms: number;
}

async function hit(url: string, headers: Record<string, string> = {}): Promise<Outcome> {
  const started = performance.now();
  const response = await fetch(url, { headers, signal: AbortSignal.timeout(5_000) });
  await response.arrayBuffer();
  return {
    status: response.status,
    retryAfter: response.headers.get('retry-after'),
    contentType: response.headers.get('content-type'),
    rateLimit: response.headers.get('ratelimit'),
    ms: performance.now() - started,
  };
}

/** `count` requests, `concurrency` at a time, `url(i)` and `headers(i)` per request. */
async function flood(count: number, concurrency: number, url: (i: number) => string, headers: (i: number) => Record<string, string> = () => ({})): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next++;
        outcomes.push(await hit(url(i), headers(i)));
      }
    }),
  );
  return outcomes;
}

/** Issue 10's rate-limit proofs, through real gateways sharing the infra's Redis. */
describe('gateway rate limits', () => {
  let upstream: TestUpstream;

  beforeAll(async () => {
    upstream = await TestUpstream.start({ service: 'limited', id: `limited-${run}` });
  });

  afterAll(async () => {
    await upstream?.close();
  });

  describe('two gateways sharing Redis', () => {
    let a: GatewayHarness;
    let b: GatewayHarness;

    beforeAll(async () => {
      const env = { RATE_LIMIT_STORE: 'redis', RATE_LIMIT_REDIS_URL: infraUrls().redisUrl, RATE_LIMIT_ON_STORE_ERROR: 'closed' };
      a = await GatewayHarness.start(routes(L), env);
      b = await GatewayHarness.start(routes(L), env, a.identity);
      // Both clients connected: a decision that came from the store carries `RateLimit`.
      for (const gateway of [a, b]) await until('the gateway to reach Redis', async () => (await hit(`${gateway.url}/api/limited/warm-${run}`)).rateLimit !== null);
    });

    afterAll(async () => {
      await b?.close(false);
      await a?.close();
    });

    it(`lets between L and 1.05 L of ${2 * L} requests through across both, and refuses the rest with 429 and Retry-After`, async () => {
      const outcomes = await flood(2 * L, 20, (i) => `${i % 2 === 0 ? a.url : b.url}/api/limited-${run}/item`);
      const allowed = outcomes.filter((o) => o.status === 200).length;
      const refused = outcomes.filter((o) => o.status !== 200);
      expect(allowed).toBeGreaterThanOrEqual(L);
      expect(allowed).toBeLessThanOrEqual(1.05 * L);
      expect(refused.length).toBe(2 * L - allowed);
      for (const o of refused) {
        expect(o.status).toBe(429);
        expect(Number(o.retryAfter)).toBeGreaterThanOrEqual(1);
        expect(o.contentType).toMatch(/^application\/problem\+json/);
      }
      expect(outcomes.every((o) => o.rateLimit?.includes(';r=') === true || o.status === 429)).toBe(true);
    });

    it('mints no new identity from a spoofed X-Forwarded-For: 1,000 requests from one client, 0 bypasses', async () => {
      const path = `/api/limited/spoof-${run}`;
      const outcomes = await flood(1_000, 20, (i) => `${i % 2 === 0 ? a.url : b.url}${path}`, () => ({ 'x-forwarded-for': `${1 + Math.floor(Math.random() * 223)}.${Math.floor(Math.random() * 256)}.${Math.floor(Math.random() * 256)}.${1 + Math.floor(Math.random() * 254)}` }));
      // The route's counter may hold the warm-up requests of this run too; never more than L pass.
      expect(outcomes.filter((o) => o.status === 200).length).toBeLessThanOrEqual(L);
      expect(outcomes.filter((o) => o.status === 429).length).toBeGreaterThanOrEqual(1_000 - L);
    });
  });

  describe('Redis killed mid-run', () => {
    it.each(['open', 'closed'] as const)('fails %s as configured, and no request hangs past its timeout', async (mode) => {
      const redis = await PrivateRedis.start();
      const gateway = await GatewayHarness.start(routes(1_000_000), { RATE_LIMIT_STORE: 'redis', RATE_LIMIT_REDIS_URL: redis.url, RATE_LIMIT_ON_STORE_ERROR: mode, RATE_LIMIT_TIMEOUT_MS: '100' });
      try {
        await until('the gateway to reach Redis', async () => (await hit(`${gateway.url}/api/limited/x`)).rateLimit !== null);
        const before = await flood(50, 10, () => `${gateway.url}/api/limited/x`);
        expect(before.every((o) => o.status === 200 && o.rateLimit !== null)).toBe(true);
        const during = flood(300, 10, () => `${gateway.url}/api/limited/x`);
        await new Promise((resolve) => setTimeout(resolve, 20));
        await redis.kill();
        const after = await flood(100, 10, () => `${gateway.url}/api/limited/x`);
        const all = [...(await during), ...after];
        // Every request answered within the decision timeout plus a generous margin for the upstream and the machine.
        expect(Math.max(...all.map((o) => o.ms))).toBeLessThan(1_000);
        if (mode === 'open') {
          expect(after.map((o) => o.status)).toEqual(after.map(() => 200));
        } else {
          expect(after.map((o) => o.status)).toEqual(after.map(() => 503));
          expect(after.every((o) => o.contentType?.startsWith('application/problem+json') === true)).toBe(true);
        }
      } finally {
        await gateway.close();
        await redis.stop();
      }
    });
  });
});
