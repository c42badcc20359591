import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TestTokens } from '@nestkit/auth/testing';
import type { RunningService } from '@nestkit/bootstrap';
import { type Product, StockReserved, type StockReservedPayload } from '@nestkit/contracts/catalog';
import { OrderPlaced } from '@nestkit/contracts/orders';
import { createEnvelope, DEFAULT_RABBITMQ_EXCHANGE, type Envelope, RabbitMqBus } from '@nestkit/messaging';
import { infraUrls, waitFor } from '@nestkit/testing';
import { connect } from 'amqplib';
import { main } from '../../main';
import { PRODUCT_CACHE_CONTROL } from './product-cache.headers';

const url = infraUrls().rabbitmqUrl;
const namespace = `nestkit-test-catalog-cache-${randomUUID().slice(0, 8)}`;
const exchange = `${namespace}.${DEFAULT_RABBITMQ_EXCHANGE}`;

/** identity's token endpoint, for catalog to sign what its outbox relay sends. */
async function tokenEndpoint(tokens: TestTokens): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    req.resume();
    void tokens.signService({ clientId: 'catalog', audience: 'all' }).then((token) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ access_token: token, token_type: 'Bearer', expires_in: 300 }));
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/oauth/token` };
}

/**
 * Catalog's half of the cache purge, on the real service and RabbitMQ: its product reads are public and
 * tagged for the gateway's cache, and a reservation through its real path (an order-placed on the bus) changes
 * the stock and publishes `catalog.stock-reserved` naming the product, which is what the gateway purges on.
 */
describe('catalog product reads and the stock events that purge them', () => {
  let catalog: RunningService;
  let identity: Server;
  let bus: RabbitMqBus;
  const events: Envelope<StockReservedPayload>[] = [];

  beforeAll(async () => {
    const endpoint = await tokenEndpoint(await TestTokens.create());
    identity = endpoint.server;
    bus = new RabbitMqBus({ url, service: 'test', exchange, queuePrefix: `${namespace}.` });
    bus.subscribe(StockReserved, { group: `test.${randomUUID()}`, transient: true, handler: async (_payload, envelope) => void events.push(envelope) });
    await bus.start();
    catalog = await main({
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      REGISTRY: 'memory',
      DATABASE_URL: 'sqlite::memory:',
      BUS: 'rabbitmq',
      RABBITMQ_URL: url,
      MESSAGING_NAMESPACE: namespace,
      AUTH_REQUIRE_SERVICE_TOKEN: 'false',
      AUTH_VERIFY_MESSAGE_IDENTITY: 'false',
      AUTH_CLIENT_SECRET: 'test-only-client-secret-0123456789',
      AUTH_TOKEN_URL: endpoint.url,
    });
  });

  afterAll(async () => {
    await catalog?.close();
    const queues = bus?.topology().queues ?? [];
    await bus?.close();
    identity?.close();
    const connection = await connect(url, { timeout: 5_000 });
    try {
      const channel = await connection.createChannel();
      // Catalog's own groups, then this test's.
      for (const group of ['catalog.stock-reservation', 'catalog.stock-release']) {
        for (const suffix of ['', '.dlq', '.retry.200', '.retry.1000', '.retry.5000']) await channel.deleteQueue(`${namespace}.${group}${suffix}`);
      }
      for (const queue of queues) await channel.deleteQueue(queue);
      await channel.deleteExchange(exchange);
    } finally {
      await connection.close();
    }
  });

  async function read(path: string): Promise<{ status: number; cacheControl: string | null; tag: string | null; body: unknown }> {
    const response = await fetch(`${catalog.url}${path}`, { signal: AbortSignal.timeout(5_000) });
    return { status: response.status, cacheControl: response.headers.get('cache-control'), tag: response.headers.get('cache-tag'), body: await response.json() };
  }

  it('tags each read with what it shows, as public for shared caches, and leaves errors uncached', async () => {
    expect(await read('/products/p-keyboard')).toMatchObject({ status: 200, cacheControl: PRODUCT_CACHE_CONTROL, tag: 'product:p-keyboard' });
    expect(await read('/products')).toMatchObject({ status: 200, cacheControl: PRODUCT_CACHE_CONTROL, tag: 'products' });
    expect(await read('/products?ids=p-mouse,p-keyboard')).toMatchObject({ status: 200, tag: 'product:p-mouse product:p-keyboard' });
    const missing = await read('/products/p-nope');
    expect(missing.status).toBe(404);
    expect(missing.tag).toBeNull();
    expect(missing.cacheControl ?? '').not.toMatch(/public|max-age/);
  });

  it('publishes catalog.stock-reserved naming the product when an order reserves its stock', async () => {
    const before = ((await read('/products/p-keyboard')).body as Product).stock;
    const orderId = `o-${randomUUID()}`;
    await bus.publish(createEnvelope(OrderPlaced, { orderId, userId: 'u-1', items: [{ productId: 'p-keyboard', quantity: 2 }] }, { producer: 'orders', key: orderId }));

    await waitFor(() => events.some((event) => event.payload.orderId === orderId), { what: 'catalog.stock-reserved for the order', timeoutMs: 10_000, intervalMs: 20 });
    expect(events.find((event) => event.payload.orderId === orderId)?.payload.items).toEqual([{ productId: 'p-keyboard', quantity: 2 }]);
    expect(((await read('/products/p-keyboard')).body as Product).stock).toBe(before - 2);
  });
});
