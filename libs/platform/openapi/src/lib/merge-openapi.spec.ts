import type { OpenApiDocument } from './openapi-document';
import { mergeOpenApi } from './merge-openapi';
import { openApiProblems } from '../testing';

const problemRef = { $ref: '#/components/schemas/Problem' };

function serviceDocument(paths: OpenApiDocument['paths'], schemas: Record<string, Record<string, unknown>> = {}): OpenApiDocument {
  return {
    openapi: '3.1.0',
    info: { title: 'svc', version: '1.0.0' },
    paths,
    components: {
      schemas: { Problem: { type: 'object' }, ...schemas },
      securitySchemes: { userToken: { type: 'http', scheme: 'bearer' } },
    },
  };
}

const ok = (schema: Record<string, unknown> = { type: 'object' }) => ({ description: 'ok', content: { 'application/json': { schema } } });
const notFound = { description: 'nf', content: { 'application/problem+json': { schema: problemRef } } };

const catalog = serviceDocument(
  {
    '/products': { get: { operationId: 'products_list', responses: { '200': ok({ type: 'array', items: { $ref: '#/components/schemas/Product' } }) } } },
    '/products/{id}': {
      get: {
        operationId: 'products_get',
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        responses: { '200': ok({ $ref: '#/components/schemas/Product' }), '404': notFound },
      },
      put: { operationId: 'products_put', security: [{ userToken: [] }], parameters: [{ name: 'id', in: 'path', required: true }], responses: { '200': ok() } },
    },
    '/health/live': { get: { operationId: 'health_live', responses: { '200': ok() } } },
  },
  { Product: { type: 'object', properties: { id: { type: 'string' } } } },
);

const orders = serviceDocument(
  {
    '/orders': {
      get: { operationId: 'orders_list', security: [{ userToken: [] }], responses: { '200': ok({ $ref: '#/components/schemas/Order' }) } },
      post: { operationId: 'orders_place', security: [{ userToken: [] }], responses: { '202': ok() } },
    },
    '/orders/{id}': { get: { operationId: 'orders_get', parameters: [{ name: 'id', in: 'path', required: true }], responses: { '200': ok({ $ref: '#/components/schemas/Order' }) } } },
    '/health/live': { get: { operationId: 'health_live', responses: { '200': ok() } } },
  },
  { Order: { type: 'object' }, Product: { type: 'string' } },
);

const info = { title: 'Nestkit', version: '1.2.3' };

describe(mergeOpenApi.name, () => {
  it('rewrites service paths to the public paths the routes serve them at, leaving unexposed paths out', () => {
    const sut = mergeOpenApi(
      [
        { service: 'catalog', document: catalog, routes: [{ publicPrefix: '/api/catalog', upstreamPrefix: '', public: true }] },
        { service: 'orders', document: orders, routes: [{ publicPrefix: '/api/orders', upstreamPrefix: '/orders', public: false }] },
      ],
      info,
    );
    expect(Object.keys(sut.paths).sort()).toEqual(['/api/catalog/health/live', '/api/catalog/products', '/api/catalog/products/{id}', '/api/orders', '/api/orders/{id}']);
    expect(sut.paths['/api/orders/{id}'].get?.parameters).toEqual([{ name: 'id', in: 'path', required: true }]);
    expect(sut).toMatchObject({ openapi: '3.1.0', info, servers: [{ url: '/' }] });
    expect(openApiProblems(sut)).toEqual([]);
  });

  it('prefixes operationIds and component names per service and rewrites every $ref to them', () => {
    const sut = mergeOpenApi(
      [
        { service: 'catalog', document: catalog, routes: [{ publicPrefix: '/api/catalog', upstreamPrefix: '', public: true }] },
        { service: 'orders', document: orders, routes: [{ publicPrefix: '/api/orders', upstreamPrefix: '', public: false }] },
      ],
      info,
    );
    expect(sut.paths['/api/catalog/health/live'].get?.operationId).toBe('catalog_health_live');
    expect(sut.paths['/api/orders/health/live'].get?.operationId).toBe('orders_health_live');
    expect(Object.keys(sut.components?.schemas ?? {}).sort()).toEqual(['CatalogProblem', 'CatalogProduct', 'OrdersOrder', 'OrdersProblem', 'OrdersProduct']);
    expect(sut.paths['/api/catalog/products/{id}'].get?.responses['200']).toEqual(ok({ $ref: '#/components/schemas/CatalogProduct' }));
    expect(sut.paths['/api/catalog/products/{id}'].get?.responses['404']).toEqual({ ...notFound, content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/CatalogProblem' } } } });
    expect(sut.paths['/api/catalog/products/{id}'].get?.tags).toEqual(['catalog']);
    expect(sut.tags?.map((tag) => tag.name)).toEqual(['catalog', 'orders']);
  });

  it('takes security from the route: none on public operations, the bearer token and a 401 on the others', () => {
    const isPublic = (method: string, path: string) => method === 'GET' && path.startsWith('/products');
    const sut = mergeOpenApi([{ service: 'catalog', document: catalog, routes: [{ publicPrefix: '/api/catalog', upstreamPrefix: '', public: isPublic }] }], info);
    const read = sut.paths['/api/catalog/products/{id}'].get;
    const write = sut.paths['/api/catalog/products/{id}'].put;
    expect(read?.security).toBeUndefined();
    expect(read?.responses['401']).toBeUndefined();
    expect(write?.security).toEqual([{ userToken: [] }]);
    expect(write?.responses['401']).toMatchObject({ content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/CatalogProblem' } } } });
    expect(sut.paths['/api/catalog/health/live'].get?.security).toEqual([{ userToken: [] }]);
    expect(sut.components?.securitySchemes?.['userToken']).toMatchObject({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
  });

  it('drops a public service-level security requirement even when the service document had one', () => {
    const sut = mergeOpenApi([{ service: 'orders', document: orders, routes: [{ publicPrefix: '/api/orders', upstreamPrefix: '/orders', public: true }] }], info);
    expect(sut.paths['/api/orders'].get?.security).toBeUndefined();
  });

  it('exposes only the methods a route forwards and only paths under its upstream prefix', () => {
    const sut = mergeOpenApi([{ service: 'catalog', document: catalog, routes: [{ publicPrefix: '/shop', upstreamPrefix: '/products', methods: ['get'], public: true }] }], info);
    expect(Object.keys(sut.paths).sort()).toEqual(['/shop', '/shop/{id}']);
    expect(sut.paths['/shop/{id}'].put).toBeUndefined();
  });

  it('adds the edge problems to every exposed operation', () => {
    const sut = mergeOpenApi([{ service: 'catalog', document: catalog, routes: [{ publicPrefix: '/api/catalog', upstreamPrefix: '', public: true }] }], info, { edgeProblems: [429] });
    expect(sut.paths['/api/catalog/products'].get?.responses['429']).toMatchObject({ content: { 'application/problem+json': expect.any(Object) } });
  });

  it("documents the edge's own refusals: 431 on every operation, 400 (a malformed path parameter) on templated paths", () => {
    const sut = mergeOpenApi([{ service: 'catalog', document: catalog, routes: [{ publicPrefix: '/api/catalog', upstreamPrefix: '', public: true }] }], info);
    expect(Object.keys(sut.paths['/api/catalog/products'].get?.responses ?? {})).toEqual(['200', '431']);
    expect(Object.keys(sut.paths['/api/catalog/products/{id}'].get?.responses ?? {})).toEqual(['200', '400', '404', '431']);
    expect(sut.paths['/api/catalog/products/{id}'].get?.responses['400']).toMatchObject({ content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/CatalogProblem' } } } });
  });

  it('refuses two services exposing the same method and public path, naming both', () => {
    const inputs = [
      { service: 'catalog', document: catalog, routes: [{ publicPrefix: '/api', upstreamPrefix: '/health', public: true }] },
      { service: 'orders', document: orders, routes: [{ publicPrefix: '/api', upstreamPrefix: '/health', public: true }] },
    ];
    expect(() => mergeOpenApi(inputs, info)).toThrow('GET /api/live is exposed by both catalog and orders');
  });

  it('gives a service without a Problem schema one, so the edge 401 resolves', () => {
    const bare: OpenApiDocument = { openapi: '3.1.0', info: { title: 'bare', version: '1' }, paths: { '/x': { get: { operationId: 'x', responses: { '200': ok() } } } } };
    const sut = mergeOpenApi([{ service: 'bare-bones', document: bare, routes: [{ publicPrefix: '/api/bare', upstreamPrefix: '', public: false }] }], info);
    expect(sut.components?.schemas?.['BareBonesProblem']).toMatchObject({ required: expect.arrayContaining(['status', 'code']) });
    expect(openApiProblems(sut)).toEqual([]);
  });
});
