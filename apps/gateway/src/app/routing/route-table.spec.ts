import { DEFAULT_ROUTES, matchRoute, routeTable } from './route-table';

describe(matchRoute.name, () => {
  it.each([
    ['/api/identity/login', 'identity', '/login'],
    ['/api/catalog/products?ids=a,b', 'catalog', '/products?ids=a,b'],
    ['/api/orders', 'orders', '/orders'],
    ['/api/orders/123', 'orders', '/orders/123'],
    ['/api/notifications?limit=5', 'notifications', '/notifications?limit=5'],
    ['/api/identity', 'identity', '/'],
  ])('routes %s to %s at %s', (url, service, upstreamPath) => {
    const sut = matchRoute(DEFAULT_ROUTES, url);
    expect(sut?.route.service).toBe(service);
    expect(sut?.upstreamPath).toBe(upstreamPath);
  });

  it.each(['/api/ordersx', '/api', '/', '/health/ready', '/apix/orders'])('does not route %s', (url) => {
    expect(matchRoute(DEFAULT_ROUTES, url)).toBeUndefined();
  });

  it('prefers the longest prefix', () => {
    const routes = [...DEFAULT_ROUTES, { prefix: '/api/orders/export', service: 'reports', upstreamPrefix: '/export' }];
    expect(matchRoute(routes, '/api/orders/export/2026')?.route.service).toBe('reports');
    expect(matchRoute(routes, '/api/orders/42')?.route.service).toBe('orders');
  });
});

describe(routeTable.name, () => {
  it('hedges only the routes named', () => {
    const sut = routeTable(['/api/catalog']);
    expect(sut.filter((route) => route.hedge).map((route) => route.service)).toEqual(['catalog']);
    expect(sut).toHaveLength(DEFAULT_ROUTES.length);
  });

  it('refuses an unknown prefix, naming it and the known ones', () => {
    expect(() => routeTable(['/api/catalgo'])).toThrow('unknown route prefix "/api/catalgo"; routes are /api/identity, /api/catalog');
  });
});
