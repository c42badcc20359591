import { describeOpenApi, startWithOpenApi } from '@nestkit/openapi/testing';
import { AppModule } from './app.module';
import { ordersConfigSchema } from './orders.config';

describeOpenApi('orders', {
  start: () =>
    startWithOpenApi(
      'orders',
      AppModule.forRoot(
        ordersConfigSchema.parse({
          DATABASE_URL: 'sqlite::memory:',
          LOG_LEVEL: 'silent',
          AUTH_CLIENT_SECRET: 'test-only-client-secret-0123456789',
          AUTH_REQUIRE_SERVICE_TOKEN: 'false',
        }),
      ),
    ),
  operations: ['POST /orders', 'GET /orders', 'GET /orders/{id}', 'GET /health/live', 'GET /health/ready'],
  untypedBodies: ['GET /health/live'],
  probes: [
    // Without a user token every orders route is a 401 problem, before the body is even read.
    { method: 'POST', path: '/orders', status: 401, json: { items: [{ productId: 'p1', quantity: 1 }] } },
    { method: 'GET', path: '/orders', status: 401 },
    { method: 'GET', path: '/orders/o1', status: 401 },
    { method: 'GET', path: '/health/live', status: 200 },
  ],
});
