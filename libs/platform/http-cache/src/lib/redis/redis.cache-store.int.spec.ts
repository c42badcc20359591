import { infraUrls, PrivateRedis, uniqueName, waitFor } from '@nestkit/testing';
import { Redis } from 'ioredis';
import { describeCacheStore } from '../cache-store.conformance';
import { CacheStoreUnavailableError } from '../cache-store.error';
import { HttpCache } from '../http-cache';
import { anOrigin, aRequest } from '../http-cache.fixture';
import { RedisCacheStore } from './redis.cache-store';

const root = `${uniqueName('http-cache-int')}:`;
const clients: Redis[] = [];
const privateClients: Redis[] = [];

async function readyClient(url: string, owner = clients): Promise<Redis> {
  const client = new Redis(url, { maxRetriesPerRequest: 1, connectTimeout: 2_000 });
  // The store reports failures through HttpCache's onError; the client's own error events are noise here.
  client.on('error', () => undefined);
  owner.push(client);
  await waitFor(() => client.status === 'ready', { what: `Redis at ${url} (run: bash scripts/infra/up.sh redis)`, timeoutMs: 5_000, intervalMs: 10 });
  return client;
}

afterAll(async () => {
  const [admin] = clients;
  if (admin) {
    const keys = await admin.keys(`${root}*`);
    if (keys.length > 0) await admin.del(...keys);
  }
  await Promise.all(clients.map((client) => client.quit()));
});

let tests = 0;
describeCacheStore('redis', async () => new RedisCacheStore({ redis: await readyClient(infraUrls().redisUrl), keyPrefix: `${root}${++tests}:`, timeoutMs: 2_000 }));

describe(`${RedisCacheStore.name} shared by two gateways`, () => {
  async function twoGateways(): Promise<{ a: HttpCache; b: HttpCache; redis: Redis; prefix: string }> {
    const prefix = `${root}${++tests}:`;
    const [ra, rb] = [await readyClient(infraUrls().redisUrl), await readyClient(infraUrls().redisUrl)];
    const options = (redis: Redis) => ({ store: new RedisCacheStore({ redis, keyPrefix: prefix, timeoutMs: 2_000 }), onError: (e: Error) => { throw e; } });
    return { a: new HttpCache(options(ra)), b: new HttpCache(options(rb)), redis: ra, prefix };
  }

  it('serves to one gateway what the other stored, with a TTL of freshness plus stale window', async () => {
    const { a, b, redis, prefix } = await twoGateways();
    const origin = anOrigin({ 'cache-control': 'max-age=30, stale-while-revalidate=90', 'cache-tag': 'product:1' }, 'from A');
    expect((await a.serve(aRequest('/products/1'), origin)).cache).toBe('miss');
    const hit = await b.serve(aRequest('/products/1'), origin);
    expect(hit.cache).toBe('hit');
    expect(hit.response.body.toString()).toBe('from A');
    expect(origin.calls).toBe(1);
    const ttl = await redis.pttl(`${prefix}e:public GET /products/1`);
    expect(ttl).toBeGreaterThan(115_000);
    expect(ttl).toBeLessThanOrEqual(120_000);
    expect(await redis.pttl(`${prefix}t:product:1`)).toBeGreaterThan(115_000);
  });

  it('shares Vary variants and per-user entries, keeping users apart', async () => {
    const { a, b } = await twoGateways();
    const origin = anOrigin({ 'cache-control': 'private, max-age=60', vary: 'accept' }, (n) => `v${n}`);
    await a.serve(aRequest('/me', { accept: 'text/html' }, 'alice'), origin);
    expect((await b.serve(aRequest('/me', { accept: 'text/html' }, 'alice'), origin)).cache).toBe('hit');
    expect((await b.serve(aRequest('/me', { accept: 'application/json' }, 'alice'), origin)).cache).toBe('miss');
    expect((await b.serve(aRequest('/me', { accept: 'text/html' }, 'bob'), origin)).cache).toBe('miss');
    expect((await a.serve(aRequest('/me', { accept: 'application/json' }, 'alice'), origin)).response.body.toString()).toBe('v2');
  });

  it('purges by tag on one gateway what the other stored', async () => {
    const { a, b } = await twoGateways();
    const product = anOrigin({ 'cache-control': 'max-age=60', 'cache-tag': 'product:42 products' });
    const list = anOrigin({ 'cache-control': 'max-age=60', 'cache-tag': 'products' });
    const users = anOrigin({ 'cache-control': 'max-age=60', 'cache-tag': 'users' });
    await a.serve(aRequest('/products/42'), product);
    await a.serve(aRequest('/products'), list);
    await a.serve(aRequest('/users'), users);
    expect(await b.purge(['product:42'])).toBe(1);
    expect((await a.serve(aRequest('/products/42'), product)).cache).toBe('miss');
    expect((await a.serve(aRequest('/products'), list)).cache).toBe('hit');
    expect(await b.purge(['products'])).toBe(2);
    expect((await b.serve(aRequest('/products'), list)).cache).toBe('miss');
    expect((await b.serve(aRequest('/users'), users)).cache).toBe('hit');
  });
});

describe(`${RedisCacheStore.name} when Redis fails`, () => {
  let server: PrivateRedis;
  let url: string;

  beforeEach(async () => {
    server = await PrivateRedis.start();
    url = server.url;
  });

  afterEach(() => {
    for (const client of privateClients.splice(0)) client.disconnect();
    return server.stop();
  });

  async function warmCache(): Promise<{ sut: HttpCache; errors: Error[]; origin: ReturnType<typeof anOrigin>; redis: Redis }> {
    const errors: Error[] = [];
    const redis = await readyClient(url, privateClients);
    const store = new RedisCacheStore({ redis, keyPrefix: 'down:', timeoutMs: 200 });
    const sut = new HttpCache({ store, onError: (e) => errors.push(e) });
    const origin = anOrigin({ 'cache-control': 'max-age=60' }, 'origin body');
    await sut.serve(aRequest('/p'), origin);
    expect((await sut.serve(aRequest('/p'), origin)).cache).toBe('hit');
    return { sut, errors, origin, redis };
  }

  it('passes requests through as bypass once Redis is killed, and reports it', async () => {
    const { sut, errors, origin, redis } = await warmCache();
    await server.kill();
    const started = Date.now();
    const results = await Promise.all(Array.from({ length: 20 }, () => sut.serve(aRequest('/p'), origin)));
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(new Set(results.map((r) => `${r.cache} ${r.response.body.toString()}`))).toEqual(new Set(['bypass origin body']));
    expect(origin.calls).toBe(21);
    expect(errors.length).toBeGreaterThanOrEqual(20);
    expect(errors.every((e) => e instanceof CacheStoreUnavailableError && ['disconnected', 'failed'].includes(e.failure))).toBe(true);

    // Once the client knows the connection is gone, calls fail at once instead of queueing for a reconnect.
    await waitFor(() => redis.status === 'reconnecting', { what: 'the client to notice Redis is gone', timeoutMs: 5_000, intervalMs: 5 });
    errors.length = 0;
    expect((await sut.serve(aRequest('/p'), origin)).cache).toBe('bypass');
    expect(errors.map((e) => (e as CacheStoreUnavailableError).failure)).toEqual(['disconnected']);
    await expect(sut.purge(['x'])).rejects.toThrow(/http-cache: Redis is reconnecting, purge of tags x skipped/);
  });

  it('bounds every call by its timeout when Redis hangs', async () => {
    const { sut, errors, origin } = await warmCache();
    server.freeze();
    const started = Date.now();
    const result = await sut.serve(aRequest('/p'), origin);
    const took = Date.now() - started;
    expect(result.cache).toBe('bypass');
    expect(took).toBeGreaterThanOrEqual(190);
    expect(took).toBeLessThan(1_000);
    expect(errors.map((e) => e.message)).toEqual([expect.stringMatching(/did not answer GET down:e:public GET \/p within 200 ms/)]);
    expect((errors[0] as CacheStoreUnavailableError).failure).toBe('timeout');
  });
});
