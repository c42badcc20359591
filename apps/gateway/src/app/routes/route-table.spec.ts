import { PendingTracker } from '@nestkit/load-balancing';
import { routeSchema, type RouteSpec } from './route.schema';
import { type RejectedRoute, RouteTable } from './route-table';

const defaults = { timeoutMs: 5_000, bodyLimitBytes: 100 * 1024, pendingOf: () => new PendingTracker() };
const spec = (route: Record<string, unknown>): RouteSpec => routeSchema.parse(route);

function table(...routes: Record<string, unknown>[]): { sut: RouteTable; rejected: RejectedRoute[] } {
  const rejected: RejectedRoute[] = [];
  return { sut: RouteTable.build(routes.map((route) => ({ spec: spec(route), origin: 'file' as const })), defaults, rejected), rejected };
}

describe(RouteTable.name, () => {
  const { sut } = table(
    { path: '/api/catalog/products', methods: ['GET'], service: 'catalog', rewrite: { stripPrefix: '/api/catalog' }, auth: 'public' },
    { path: '/api/catalog/products/:id', methods: ['GET'], service: 'catalog', rewrite: { stripPrefix: '/api/catalog' }, auth: 'public' },
    { path: '/api/catalog/*', service: 'catalog', rewrite: { stripPrefix: '/api/catalog' } },
    { path: '/api/orders/*', service: 'orders', rewrite: { stripPrefix: '/api/orders', addPrefix: '/orders' }, auth: { roles: ['buyer'] }, timeoutMs: 900 },
  );

  it.each([
    ['GET', '/api/catalog/products', '', '/products', 'public'],
    ['GET', '/api/catalog/products/p-1', 'x=1', '/products/p-1?x=1', 'public'],
    ['HEAD', '/api/catalog/products/p-1', '', '/products/p-1', 'public'],
    ['POST', '/api/catalog/products', '', '/products', 'user'],
    ['GET', '/api/catalog/products/p-1/reviews', '', '/products/p-1/reviews', 'user'],
    ['GET', '/api/catalog', '', '/', 'user'],
    ['GET', '/api/orders/o-1', '', '/orders/o-1', 'roles'],
    ['GET', '/api/orders', '', '/orders', 'roles'],
  ])('%s %s?%s goes to %s (%s): static beats :param beats *', (method, path, query, upstream, access) => {
    const match = sut.match(method, path, query);
    expect(match?.upstreamPath).toBe(upstream);
    const rule = match?.route.access;
    expect(rule === undefined ? 'public' : rule.roles ? 'roles' : 'user').toBe(access);
  });

  it('matches on segment boundaries only, and not other prefixes', () => {
    expect(sut.match('GET', '/api/ordersx', '')).toBeUndefined();
    expect(sut.match('GET', '/api/identity/me', '')).toBeUndefined();
    expect(sut.match('GET', '/health/live', '')).toBeUndefined();
  });

  it('applies route settings over the defaults', () => {
    expect(sut.match('GET', '/api/orders/1', '')?.route.timeoutMs).toBe(900);
    expect(sut.match('GET', '/api/catalog/products', '')?.route.timeoutMs).toBe(5_000);
    expect(sut.match('GET', '/api/catalog/products', '')?.route.bodyLimitBytes).toBe(100 * 1024);
  });

  it('keeps the first route for a method and path, and refuses the whole later one, reporting it', () => {
    const { sut: first, rejected } = table(
      { path: '/api/a/*', service: 'a', methods: ['GET'] },
      { path: '/api/a/*', service: 'b', methods: ['GET', 'POST'] },
    );
    expect(first.match('GET', '/api/a/x', '')?.route.service).toBe('a');
    expect(first.match('POST', '/api/a/x', '')).toBeUndefined();
    expect(rejected).toEqual([{ origin: 'file', path: '/api/a/*', reason: 'GET,HEAD /api/a/* is already routed by an earlier route' }]);
  });

  it('builds one balancer per route from its strategy, and names the rate-limit policy after the route', () => {
    const { sut: balanced } = table({ path: '/api/carts/:cart', service: 'carts', balancer: { strategy: 'consistent-hash', key: { param: 'cart' } }, rateLimit: { limit: 5, window: '1m' } });
    const route = balanced.match('GET', '/api/carts/c-1', '')?.route;
    expect(route?.balancer?.constructor.name).toBe('ConsistentHashBalancer');
    expect(route?.key).toEqual({ param: 'cart' });
    expect(route?.rateLimit).toEqual({ name: 'ALL:/api/carts/:cart', limit: 5, windowMs: 60_000 });
  });
});

describe('route schema', () => {
  it.each([
    [{ path: 'api/x', service: 's' }, 'path'],
    [{ path: '/api/x', service: 'Bad Name' }, 'service'],
    [{ path: '/api/x/*', service: 's', rewrite: { stripPrefix: '/api/y' } }, 'rewrite.stripPrefix'],
    [{ path: '/api/x', service: 's', balancer: { strategy: 'consistent-hash' } }, 'balancer.key'],
    [{ path: '/api/x', service: 's', methods: ['POST'], cache: {} }, 'cache'],
    [{ path: '/api/x', service: 's', rateLimit: { limit: 5, window: '90ms' } }, 'rateLimit'],
    [{ path: '/api/x', service: 's', versions: { weights: { v1: 0 } } }, 'versions.weights'],
    [{ path: '/api/x', service: 's', timeoutMs: 10 }, 'timeoutMs'],
    [{ path: '/api/x', service: 's', unknown: true }, ''],
  ])('refuses %j, naming %s', (route, field) => {
    const result = routeSchema.safeParse(route);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path.join('.'))).toContain(field);
  });
});
