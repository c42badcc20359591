import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { CatalogCacheTags, type Product, StockReserved } from '@nestkit/contracts/catalog';
import { createEnvelope, DEFAULT_RABBITMQ_EXCHANGE, RabbitMqBus } from '@nestkit/messaging';
import { infraUrls } from '@nestkit/testing';
import { connect } from 'amqplib';
import { GatewayProxy } from '../proxy/gateway-proxy';
import { GatewayHarness, TestUpstream, until } from '../testing/gateway-harness';
import { CachePurgeSubscriber } from './cache-purge.subscriber';

const url = infraUrls().rabbitmqUrl;
/** A namespace of this run's own, as MESSAGING_NAMESPACE would give: exchange and queues no other run shares. */
const namespace = `nestkit-test-gw-purge-${randomUUID().slice(0, 8)}`;
const exchange = `${namespace}.${DEFAULT_RABBITMQ_EXCHANGE}`;
/** The upstream's name in discovery, unique per run as well. */
const service = `catalog-${randomUUID().slice(0, 8)}`;

const routes = `
routes:
  - { path: /api/catalog/products, methods: [GET], service: ${service}, rewrite: { stripPrefix: /api/catalog }, auth: public, cache: {} }
  - { path: /api/catalog/products/:id, methods: [GET], service: ${service}, rewrite: { stripPrefix: /api/catalog }, auth: public, cache: {} }
`;

/** One gateway instance: the gateway, and the purge subscriber on its own bus connection (as app.module wires it). */
interface Gateway {
  harness: GatewayHarness;
  bus: RabbitMqBus;
  purger: CachePurgeSubscriber;
}

async function startGateway(): Promise<Gateway> {
  const harness = await GatewayHarness.start(routes);
  const bus = new RabbitMqBus({ url, service: 'gateway', exchange, queuePrefix: `${namespace}.` });
  const purger = new CachePurgeSubscriber(bus, harness.gateway.app.get(GatewayProxy), { UPSTREAM_TIMEOUT_MS: 5_000 });
  purger.onModuleInit();
  await bus.start();
  return { harness, bus, purger };
}

/**
 * The proof: a stock change is visible through the gateway within 1 s of its event. A catalog
 * stand-in answers as catalog does (`Cache-Control`, `cache-tag` from the catalog contracts); the test
 * publishes the real `catalog.stock-reserved` contract through the real RabbitMQ; two gateway instances each
 * purge their own memory cache.
 */
describe('gateway cache purge on catalog events (RabbitMQ)', () => {
  const stock = new Map<string, number>([
    ['p-keyboard', 25],
    ['p-mouse', 50],
  ]);
  const view = (id: string): Product => ({ id, sku: id.toUpperCase(), name: id, priceCents: 1_000, stock: stock.get(id) as number });
  let catalog: TestUpstream;
  let catalogBus: RabbitMqBus;
  const gateways: Gateway[] = [];

  beforeAll(async () => {
    Logger.overrideLogger(false);
    catalog = await TestUpstream.start({ service, id: `${service}-1` }, (req, res) => {
      req.resume();
      const path = new URL(req.url ?? '/', 'http://catalog').pathname;
      const id = path.startsWith('/products/') ? decodeURIComponent(path.slice('/products/'.length)) : undefined;
      if (id !== undefined && !stock.has(id)) return void res.writeHead(404, { 'content-type': 'application/problem+json' }).end('{}');
      const body = id === undefined ? [...stock.keys()].map(view) : view(id);
      const tag = id === undefined ? CatalogCacheTags.allProducts : CatalogCacheTags.product(id);
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'public, max-age=5, s-maxage=30', 'cache-tag': tag }).end(JSON.stringify(body));
    });
    gateways.push(await startGateway(), await startGateway());
    catalogBus = new RabbitMqBus({ url, service: 'catalog', exchange, queuePrefix: `${namespace}.` });
  });

  afterAll(async () => {
    const queues = gateways.flatMap((gateway) => gateway.bus.topology().queues);
    for (const gateway of gateways) {
      await gateway.purger.onModuleDestroy();
      await gateway.bus.close();
      await gateway.harness.close();
    }
    await catalogBus?.close();
    await catalog?.close();
    const connection = await connect(url, { timeout: 5_000 });
    try {
      const channel = await connection.createChannel();
      for (const queue of queues) await channel.deleteQueue(queue);
      await channel.deleteExchange(exchange);
    } finally {
      await connection.close();
    }
  });

  async function get(gateway: Gateway, path: string): Promise<{ cache: string | null; body: unknown; tag: string | null }> {
    const response = await fetch(`${gateway.harness.url}/api/catalog${path}`, { signal: AbortSignal.timeout(5_000) });
    expect(response.status).toBe(200);
    return { cache: response.headers.get('x-cache'), body: await response.json(), tag: response.headers.get('cache-tag') };
  }

  it('serves a cached product until its stock changes, then the new stock within 1 s of the event, on every gateway', async () => {
    for (const gateway of gateways) {
      expect(await get(gateway, '/products/p-keyboard')).toEqual({ cache: 'miss', body: view('p-keyboard'), tag: null });
      expect(await get(gateway, '/products/p-keyboard')).toMatchObject({ cache: 'hit', body: { stock: 25 } });
      expect(await get(gateway, '/products')).toMatchObject({ cache: 'miss' });
      expect(await get(gateway, '/products/p-mouse')).toMatchObject({ cache: 'miss' });
    }

    // Catalog commits the reservation, then its outbox relay publishes the event.
    stock.set('p-keyboard', 24);
    const event = createEnvelope(StockReserved, { orderId: `o-${randomUUID()}`, items: [{ productId: 'p-keyboard', quantity: 1 }] }, { producer: 'catalog' });
    const published = Date.now();
    await catalogBus.publish(event);

    const deadline = published + 1_000;
    await Promise.all(
      gateways.map(async (gateway) => {
        const seen: { cache: string | null; body: unknown }[] = [];
        const fresh = async () => {
          seen.push(await get(gateway, '/products/p-keyboard'));
          return (seen.at(-1)?.body as Product).stock === 24;
        };
        await until('the gateway to serve the new stock', fresh, deadline - Date.now());
        // Stale hits until the purge, then one miss that fetched the new stock; nothing in between.
        expect(seen.slice(0, -1).every((answer) => answer.cache === 'hit' && (answer.body as Product).stock === 25)).toBe(true);
        expect(seen.at(-1)).toMatchObject({ cache: 'miss', body: { stock: 24 } });
      }),
    );

    for (const gateway of gateways) {
      expect(await get(gateway, '/products/p-keyboard')).toMatchObject({ cache: 'hit', body: { stock: 24 } });
      expect(await get(gateway, '/products')).toMatchObject({ cache: 'miss', body: expect.arrayContaining([expect.objectContaining({ id: 'p-keyboard', stock: 24 })]) });
      expect(await get(gateway, '/products/p-mouse')).toMatchObject({ cache: 'hit' });
      expect(gateway.purger.stats).toEqual({ purges: 1, failures: 0 });
    }
  });
});
