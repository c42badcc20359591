import { announceRoutes } from '@nestkit/discovery';
import { GatewayHarness, TestUpstream, until } from '../testing/gateway-harness';
import { Routes } from './routes';

const split = (v1: number, v2: number) => `
routes:
  - path: /api/shop/products/*
    service: shop
    methods: [GET]
    rewrite: { stripPrefix: /api/shop }
    auth: public
    versions: { weights: { "1.0.0": ${v1}, "2.0.0": ${v2} }, header: x-version, cookie: shop-version }
  - path: /api/shop/carts/:cart
    service: shop
    methods: [GET]
    rewrite: { stripPrefix: /api/shop }
    auth: public
    balancer: { strategy: consistent-hash, key: { param: cart } }
  - path: /api/shop/sticky/*
    service: shop
    methods: [GET]
    rewrite: { stripPrefix: /api/shop }
    auth: user
    versions: { weights: { "1.0.0": 50, "2.0.0": 50 } }
`;

/** What the new service publishes at /openapi.json. */
const REVIEWS_OPENAPI = {
  openapi: '3.1.0',
  info: { title: 'reviews', version: '1.0.0' },
  paths: { '/latest': { get: { operationId: 'reviews_latest', responses: { '200': { description: 'The latest reviews', content: { 'application/json': { schema: { type: 'object' } } } } } } } },
  components: { schemas: {} },
};

/** Issue 10's routing proofs: canary split, forced version, sticky users, consistent hashing, reloads and announced routes. */
describe('gateway routing', () => {
  let harness: GatewayHarness;
  const upstreams: TestUpstream[] = [];

  beforeAll(async () => {
    upstreams.push(await TestUpstream.start({ service: 'shop', id: 'shop-v1-a', version: '1.0.0' }));
    upstreams.push(await TestUpstream.start({ service: 'shop', id: 'shop-v1-b', version: '1.0.0' }));
    upstreams.push(await TestUpstream.start({ service: 'shop', id: 'shop-v2-a', version: '2.0.0' }));
    harness = await GatewayHarness.start(split(90, 10));
  });

  afterAll(async () => {
    await harness?.close();
    for (const upstream of upstreams) await upstream.close();
  });

  async function served(path: string, headers: Record<string, string> = {}): Promise<string> {
    const response = await fetch(`${harness.url}${path}`, { headers });
    expect(response.status).toBe(200);
    await response.arrayBuffer();
    return response.headers.get('x-served-by') as string;
  }

  /** `count` requests, 50 at a time (the upstream's bulkhead admits 64 at once; more would be shed with 503). */
  async function servedMany(count: number, path: string, headers: Record<string, string> = {}): Promise<string[]> {
    const ids: string[] = [];
    for (let sent = 0; sent < count; sent += 50) ids.push(...(await Promise.all(Array.from({ length: Math.min(50, count - sent) }, () => served(path, headers)))));
    return ids;
  }

  async function shares(requests: number): Promise<number> {
    return (await servedMany(requests, '/api/shop/products/1')).filter((id) => id.startsWith('shop-v2')).length / requests;
  }

  it('splits 90/10 between versions within 2 points over 10,000 requests', async () => {
    const v2 = await shares(10_000);
    expect(v2).toBeGreaterThanOrEqual(0.08);
    expect(v2).toBeLessThanOrEqual(0.12);
  });

  it('always honours the force header and cookie for a version with instances', async () => {
    const forced = await servedMany(200, '/api/shop/products/1', { 'x-version': '2.0.0' });
    expect(new Set(forced)).toEqual(new Set(['shop-v2-a']));
    const cookie = await servedMany(200, '/api/shop/products/1', { cookie: 'a=b; shop-version=1.0.0' });
    expect(cookie.every((id) => id.startsWith('shop-v1'))).toBe(true);
  });

  it('keeps each user on one version, and splits users about evenly on a 50/50 route', async () => {
    let onV2 = 0;
    for (let user = 0; user < 200; user += 1) {
      const authorization = `Bearer ${await harness.token(`sticky-${user}`)}`;
      const versions = new Set((await Promise.all(Array.from({ length: 5 }, () => served('/api/shop/sticky/x', { authorization })))).map((id) => id.slice(0, 7)));
      expect(versions.size, `user sticky-${user} saw ${[...versions].join(', ')}`).toBe(1);
      if (versions.has('shop-v2')) onV2 += 1;
    }
    expect(onV2).toBeGreaterThan(60);
    expect(onV2).toBeLessThan(140);
  });

  it('lands a key on one instance across 1,000 requests and moves at most 1/n of keys when an instance leaves', async () => {
    const owner = await served('/api/shop/carts/cart-42');
    const again = await servedMany(1_000, '/api/shop/carts/cart-42');
    expect(new Set(again)).toEqual(new Set([owner]));
    const keys = Array.from({ length: 600 }, (_, index) => `cart-${index}`);
    const before = new Map<string, string>();
    for (const key of keys) before.set(key, await served(`/api/shop/carts/${key}`));
    const leaving = upstreams[1] as TestUpstream;
    await leaving.deregister();
    try {
      await until('the gateway to drop the instance', async () => (await Promise.all(Array.from({ length: 30 }, (_, i) => served(`/api/shop/carts/k${i}`)))).every((id) => id !== leaving.id));
      let moved = 0;
      for (const key of keys) {
        const now = await served(`/api/shop/carts/${key}`);
        if (now !== before.get(key)) {
          moved += 1;
          // Only keys of the instance that left may move.
          expect(before.get(key)).toBe(leaving.id);
        }
      }
      // 1/n of the keys with n = 3, plus the ring's unevenness.
      expect(moved / keys.length).toBeLessThanOrEqual(1 / 3 + 0.08);
      expect(moved).toBe([...before.values()].filter((id) => id === leaving.id).length);
    } finally {
      await leaving.register();
    }
  });

  it('takes new weights from the routes file without a restart, and keeps the table when a reload is invalid', async () => {
    harness.rewriteRoutes(split(0, 100));
    // 50 in a row on v2: under the old 90/10 split that happens by chance with probability 1e-50.
    await until('the new weights to apply', async () => (await servedMany(50, '/api/shop/products/1')).every((id) => id.startsWith('shop-v2')));
    const all = await servedMany(200, '/api/shop/products/1');
    expect(all.every((id) => id.startsWith('shop-v2'))).toBe(true);
    harness.rewriteRoutes('routes:\n  - { path: /api/shop/x, service: Not A Name }\n');
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect((await served('/api/shop/products/1')).startsWith('shop-v2')).toBe(true);
    const table = await fetch(`${harness.url}/api/_platform/routes`, { headers: { authorization: `Bearer ${await harness.token('admin', ['admin'])}` } });
    expect(table.status).toBe(200);
    expect(((await table.json()) as { lastReloadError?: string }).lastReloadError).toMatch(/routes\.0\.service/);
    harness.rewriteRoutes(split(90, 10));
  });

  it('drops no request while the routes file is rewritten again and again', async () => {
    const routes = harness.gateway.app.get(Routes);
    const tables = new Set([routes.current]);
    let rewriting = true;
    const rewrites = (async () => {
      for (let i = 0; rewriting; i += 1) {
        harness.rewriteRoutes(split(i % 2 === 0 ? 80 : 90, i % 2 === 0 ? 20 : 10));
        // Past the watcher's 100 ms debounce, so each rewrite is a reload.
        await new Promise((resolve) => setTimeout(resolve, 150));
        tables.add(routes.current);
      }
    })();
    const statuses: number[] = [];
    try {
      // At least 1,000 requests, and on until three reloads have happened under them (bounded).
      for (let sent = 0; (sent < 1_000 || tables.size < 4) && sent < 20_000; sent += 50) {
        const batch = await Promise.all(Array.from({ length: 50 }, async () => (await fetch(`${harness.url}/api/shop/products/1`)).status));
        statuses.push(...batch);
      }
    } finally {
      rewriting = false;
      await rewrites;
    }
    expect(statuses.filter((status) => status !== 200)).toEqual([]);
    expect(statuses.length).toBeGreaterThanOrEqual(1_000);
    // The table really was swapped while those requests ran.
    expect(tables.size).toBeGreaterThanOrEqual(3);
  });

  it('routes a new service that announces its routes, with no gateway restart or edit, and refuses routes outside its prefix', async () => {
    expect((await fetch(`${harness.url}/api/reviews/latest`)).status).toBe(404);
    const reviews = await TestUpstream.start(
      {
        service: 'reviews',
        id: 'reviews-1',
        metadata: announceRoutes([
          { path: '/api/reviews/*', methods: ['GET'], rewrite: { stripPrefix: '/api/reviews' }, auth: 'public' },
          { path: '/api/shop/products/*', methods: ['GET'], auth: 'public' },
        ]),
      },
      (req, res, self) => {
        req.resume();
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(req.url === '/openapi.json' ? REVIEWS_OPENAPI : { served: self.id, path: req.url }));
      },
    );
    upstreams.push(reviews);
    await until('the announced route to be routed', async () => (await fetch(`${harness.url}/api/reviews/latest`)).status === 200);
    const body = (await (await fetch(`${harness.url}/api/reviews/latest`)).json()) as { served: string; path: string };
    expect(body).toEqual({ served: 'reviews-1', path: '/latest' });
    // ...and documented in the merged OpenAPI, at the path clients use, without a gateway restart.
    await until('the merged OpenAPI to show the new service', async () => {
      const response = await fetch(`${harness.url}/docs/openapi.json`);
      const document = (await response.json()) as { paths?: Record<string, unknown> };
      return response.ok && document.paths !== undefined && '/api/reviews/latest' in document.paths;
    });
    // Its claim on another service's paths was refused: those still go to shop.
    expect((await served('/api/shop/products/1')).startsWith('shop-')).toBe(true);
    await reviews.deregister();
    await until('the route to go with the service', async () => (await fetch(`${harness.url}/api/reviews/latest`)).status === 404);
  });
});
