import { describeOpenApi, startWithOpenApi } from '@nestkit/openapi/testing';
import { AppModule } from './app.module';
import { catalogConfigSchema } from './catalog.config';

describeOpenApi('catalog', {
  start: () =>
    startWithOpenApi(
      'catalog',
      AppModule.forRoot(
        catalogConfigSchema.parse({
          DATABASE_URL: 'sqlite::memory:',
          LOG_LEVEL: 'silent',
          AUTH_CLIENT_SECRET: 'test-only-client-secret-0123456789',
          AUTH_REQUIRE_SERVICE_TOKEN: 'false',
        }),
      ),
    ),
  operations: ['GET /products', 'GET /products/{id}', 'GET /health/live', 'GET /health/ready'],
  untypedBodies: ['GET /health/live'],
  probes: [
    { method: 'GET', path: '/products', status: 200 },
    { method: 'GET', path: '/products?ids=a,b', status: 200 },
    { method: 'GET', path: `/products?ids=${'x'.repeat(2_001)}`, status: 422 },
    { method: 'GET', path: '/products/no-such-product', status: 404 },
    { method: 'GET', path: '/health/live', status: 200 },
    { method: 'GET', path: '/health/ready', status: 200 },
  ],
});
