import { Logger } from '@nestjs/common';
import { StockRejected, StockReleased, StockReserved } from '@nestkit/contracts/catalog';
import { type CacheStore, HttpCache, MemoryCacheStore } from '@nestkit/http-cache';
import { FailingCacheStore } from '@nestkit/http-cache/testing';
import { createEnvelope, InMemoryBus } from '@nestkit/messaging';
import { CachePurgeSubscriber } from './cache-purge.subscriber';

const UPSTREAM_TIMEOUT_MS = 5_000;

/** Stores `url` with the tags catalog would send; resolves with the cache status of that read. */
function read(cache: HttpCache, url: string, tags: string): Promise<string> {
  const origin = async () => ({ status: 200, headers: { 'cache-control': 'public, s-maxage=30', 'cache-tag': tags }, body: Buffer.from(url) });
  return cache.serve({ method: 'GET', url, headers: {} }, origin).then((result) => result.cache);
}

const reserved = (...productIds: string[]) =>
  createEnvelope(StockReserved, { orderId: 'o-1', items: productIds.map((productId) => ({ productId, quantity: 1 })) }, { producer: 'catalog', key: 'o-1' });

describe(CachePurgeSubscriber.name, () => {
  let bus: InMemoryBus;
  let cache: HttpCache;
  let sut: CachePurgeSubscriber;

  const start = (store: CacheStore = new MemoryCacheStore({ maxBytes: 1024 * 1024 })) => {
    cache = new HttpCache({ store, onError: () => undefined });
    sut = new CachePurgeSubscriber(bus, { cache }, { UPSTREAM_TIMEOUT_MS });
    sut.onModuleInit();
  };

  beforeAll(() => Logger.overrideLogger(false));
  beforeEach(() => {
    bus = new InMemoryBus();
  });
  afterEach(async () => {
    vi.useRealTimers();
    await sut.onModuleDestroy();
    await bus.close();
  });

  it('purges the reserved products and the full list, and nothing else', async () => {
    start();
    await read(cache, '/products', 'products');
    await read(cache, '/products/p-1', 'product:p-1');
    await read(cache, '/products/p-2', 'product:p-2');
    await read(cache, '/products?ids=p-2,p-3', 'product:p-2 product:p-3');

    await bus.publish(reserved('p-1', 'p-3'));
    await bus.idle();

    expect(await read(cache, '/products', 'products')).toBe('miss');
    expect(await read(cache, '/products/p-1', 'product:p-1')).toBe('miss');
    expect(await read(cache, '/products?ids=p-2,p-3', 'product:p-2 product:p-3')).toBe('miss');
    expect(await read(cache, '/products/p-2', 'product:p-2')).toBe('hit');
    expect(sut.stats).toEqual({ purges: 1, failures: 0 });
  });

  it('purges on released stock too, and ignores events that change no stock', async () => {
    start();
    await read(cache, '/products/p-1', 'product:p-1');
    await bus.publish(createEnvelope(StockRejected, { orderId: 'o-2', reason: 'insufficient stock' }, { producer: 'catalog' }));
    await bus.idle();
    expect(await read(cache, '/products/p-1', 'product:p-1')).toBe('hit');

    await bus.publish(createEnvelope(StockReleased, { orderId: 'o-1', items: [{ productId: 'p-1', quantity: 2 }] }, { producer: 'catalog' }));
    await bus.idle();
    expect(await read(cache, '/products/p-1', 'product:p-1')).toBe('miss');
  });

  it('subscribes in a transient group of its own, so that every gateway receives every event', () => {
    const subscribe = vi.spyOn(bus, 'subscribe');
    start();
    const other = new CachePurgeSubscriber(bus, { cache }, { UPSTREAM_TIMEOUT_MS });
    expect(subscribe.mock.calls.map(([contract, options]) => [contract.type, options.group, options.transient])).toEqual([
      ['catalog.stock-reserved', sut.group, true],
      ['catalog.stock-released', sut.group, true],
    ]);
    expect(sut.group).toMatch(/^gateway\.cache-purge\.[0-9a-f-]{36}$/);
    expect(other.group).not.toBe(sut.group);
  });

  it('does not acknowledge an event whose purge failed: it counts the failure and the event is redelivered, then dead-lettered', async () => {
    start(new FailingCacheStore());
    await bus.publish(reserved('p-1'));
    await bus.drain();

    expect(sut.stats).toEqual({ purges: 0, failures: 4 });
    expect(bus.deadLetters()).toEqual([
      expect.objectContaining({ group: sut.group, reason: 'handler-failed', deliveries: 4, envelope: expect.objectContaining({ type: 'catalog.stock-reserved' }) }),
    ]);
  });

  it('purges the same tags again one upstream deadline later, dropping what a read in flight during the change stored', async () => {
    vi.useFakeTimers();
    start();
    await bus.publish(reserved('p-1'));
    await bus.idle();
    // A read that began before the change ends after the purge and stores the old answer.
    await read(cache, '/products/p-1', 'product:p-1');
    await vi.advanceTimersByTimeAsync(UPSTREAM_TIMEOUT_MS - 1);
    expect(await read(cache, '/products/p-1', 'product:p-1')).toBe('hit');

    await vi.advanceTimersByTimeAsync(1);
    expect(await read(cache, '/products/p-1', 'product:p-1')).toBe('miss');
    expect(sut.stats).toEqual({ purges: 2, failures: 0 });
  });
});
