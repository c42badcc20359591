import { Logger } from '@nestjs/common';
import { StockReleased } from '@nestkit/contracts/catalog';
import { OrderCancelled, type OrderCancelledPayload, OrderPlaced, type OrderPlacedPayload } from '@nestkit/contracts/orders';
import { inMemoryDataSource } from '@nestkit/database/testing';
import { createEnvelope, type Envelope, InboxMessage, InMemoryBus, OutboxMessage } from '@nestkit/messaging';
import { DataSource } from 'typeorm';
import { CATALOG_SCHEMA } from '../catalog.schema';
import { ProductEntity } from '../products/product.entity';
import { StockReleaseHandler } from './stock-release.handler';
import { StockReservationEntity } from './stock-reservation.entity';
import { StockReservationHandler } from './stock-reservation.handler';

const SEEDED_STOCK = { 'p-keyboard': 25, 'p-monitor': 3, 'p-mouse': 50 };
const REASON = 'stock reservation timed out after 30000 ms';

function orderPlaced(items: OrderPlacedPayload['items'], orderId = 'order-1'): Envelope<OrderPlacedPayload> {
  return createEnvelope(OrderPlaced, { orderId, userId: 'u-alice', items }, { producer: 'orders', key: orderId });
}

function orderCancelled(orderId = 'order-1'): Envelope<OrderCancelledPayload> {
  return createEnvelope(OrderCancelled, { orderId, userId: 'u-alice', reason: REASON }, { producer: 'orders', key: orderId });
}

describe(StockReleaseHandler.name, () => {
  let dataSource: DataSource;
  let bus: InMemoryBus;
  let reservations: StockReservationHandler;
  let sut: StockReleaseHandler;

  const place = (envelope: Envelope<OrderPlacedPayload>) => reservations.handle(envelope.payload, envelope);
  const cancel = (envelope: Envelope<OrderCancelledPayload>) => sut.handle(envelope.payload, envelope);
  const stock = async () =>
    Object.fromEntries((await dataSource.getRepository(ProductEntity).find({ order: { id: 'ASC' } })).map((p) => [p.id, p.stock]));
  const reservation = (orderId = 'order-1') => dataSource.getRepository(StockReservationEntity).findOneBy({ orderId });
  const outbox = async () =>
    (await dataSource.getRepository(OutboxMessage).find({ order: { createdAt: 'ASC' } })).map((row) => JSON.parse(row.envelope) as Envelope);
  const answers = async () => (await outbox()).map((e) => [e.type, (e.payload as { reason?: string }).reason ?? null]);

  // Both handlers log what they decide; the database is what these tests assert.
  beforeAll(() => Logger.overrideLogger(false));

  beforeEach(async () => {
    dataSource = await inMemoryDataSource(CATALOG_SCHEMA);
    bus = new InMemoryBus();
    reservations = new StockReservationHandler(dataSource, bus, { service: 'catalog' });
    sut = new StockReleaseHandler(dataSource, bus, { service: 'catalog' });
  });
  afterEach(async () => {
    await bus.close();
    await dataSource.destroy();
  });

  it('gives back the stock reserved for a cancelled order and answers stock-released, caused by the cancel', async () => {
    const items = [
      { productId: 'p-mouse', quantity: 4 },
      { productId: 'p-keyboard', quantity: 2 },
      { productId: 'p-mouse', quantity: 1 },
    ];
    await place(orderPlaced(items));
    const cancelled = orderCancelled();

    await cancel(cancelled);

    expect(await stock()).toEqual(SEEDED_STOCK);
    expect(await reservation()).toMatchObject({ status: 'RELEASED', items });
    const released = (await outbox()).at(-1);
    expect(released).toMatchObject({
      type: StockReleased.type,
      producer: 'catalog',
      key: 'order-1',
      causationId: cancelled.id,
      correlationId: cancelled.correlationId,
      payload: { orderId: 'order-1', items },
    });
    expect(await dataSource.getRepository(ProductEntity).findOneByOrFail({ id: 'p-mouse' })).toMatchObject({ version: 3 });
  });

  it('conserves stock totals: what is reserved and released comes back, what stays reserved stays taken', async () => {
    await place(orderPlaced([{ productId: 'p-monitor', quantity: 2 }], 'order-1'));
    await place(orderPlaced([{ productId: 'p-keyboard', quantity: 5 }, { productId: 'p-monitor', quantity: 1 }], 'order-2'));
    await place(orderPlaced([{ productId: 'p-mouse', quantity: 7 }], 'order-3'));

    await cancel(orderCancelled('order-1'));
    await cancel(orderCancelled('order-3'));

    expect(await stock()).toEqual({ 'p-keyboard': 20, 'p-monitor': 2, 'p-mouse': 50 });
    // The released monitors can be reserved again.
    await place(orderPlaced([{ productId: 'p-monitor', quantity: 2 }], 'order-4'));
    expect(await stock()).toEqual({ 'p-keyboard': 20, 'p-monitor': 0, 'p-mouse': 50 });
  });

  it('releases once when the same cancel is delivered twice (inbox)', async () => {
    await place(orderPlaced([{ productId: 'p-keyboard', quantity: 3 }]));
    const cancelled = orderCancelled();

    await cancel(cancelled);
    await cancel(JSON.parse(JSON.stringify(cancelled)) as Envelope<OrderCancelledPayload>);

    expect(await stock()).toEqual(SEEDED_STOCK);
    expect((await outbox()).map((e) => e.type)).toEqual(['catalog.stock-reserved', 'catalog.stock-released']);
    expect(await dataSource.getRepository(InboxMessage).findBy({ consumer: 'catalog.stock-release' })).toEqual([
      expect.objectContaining({ messageId: cancelled.id }),
    ]);
  });

  it('releases once when two different cancels of one order arrive (status)', async () => {
    await place(orderPlaced([{ productId: 'p-keyboard', quantity: 3 }]));

    await cancel(orderCancelled());
    await cancel(orderCancelled());

    expect(await stock()).toEqual(SEEDED_STOCK);
    expect((await outbox()).map((e) => e.type)).toEqual(['catalog.stock-reserved', 'catalog.stock-released']);
  });

  describe('when the cancel overtakes the order', () => {
    it('leaves a CANCELLED tombstone and releases nothing', async () => {
      await cancel(orderCancelled());

      expect(await reservation()).toMatchObject({ status: 'CANCELLED', items: [] });
      expect(await stock()).toEqual(SEEDED_STOCK);
      expect(await outbox()).toEqual([]);
    });

    it('refuses the order when it arrives, reserving nothing, and answers stock-rejected caused by it', async () => {
      await cancel(orderCancelled());
      const placed = orderPlaced([{ productId: 'p-keyboard', quantity: 2 }]);

      await place(placed);

      expect(await stock()).toEqual(SEEDED_STOCK);
      expect(await reservation()).toMatchObject({ status: 'CANCELLED' });
      expect(await outbox()).toEqual([
        expect.objectContaining({
          type: 'catalog.stock-rejected',
          causationId: placed.id,
          payload: { orderId: 'order-1', reason: 'order was cancelled', items: placed.payload.items },
        }),
      ]);
    });

    it('ignores a second cancel of the tombstoned order', async () => {
      await cancel(orderCancelled());
      await cancel(orderCancelled());

      expect(await reservation()).toMatchObject({ status: 'CANCELLED' });
      expect(await outbox()).toEqual([]);
    });
  });

  it('leaves a tombstone for an order catalog rejected, giving back nothing it did not take', async () => {
    await place(orderPlaced([{ productId: 'p-monitor', quantity: 9 }]));

    await cancel(orderCancelled());

    expect(await stock()).toEqual(SEEDED_STOCK);
    expect(await reservation()).toMatchObject({ status: 'CANCELLED' });
    expect(await answers()).toEqual([['catalog.stock-rejected', 'insufficient stock for p-monitor: 9 requested, 3 available']]);
  });

  it('releases orders cancelled over the bus once subscribed, in its own consumer group', async () => {
    reservations.onModuleInit();
    sut.onModuleInit();
    await bus.publish(orderPlaced([{ productId: 'p-mouse', quantity: 10 }]));
    await bus.idle();
    await bus.publish(orderCancelled());
    await bus.idle();
    await sut.onModuleDestroy();
    await reservations.onModuleDestroy();

    expect(await stock()).toEqual(SEEDED_STOCK);
    expect((await dataSource.getRepository(InboxMessage).find()).map((row) => row.consumer).sort()).toEqual([
      'catalog.stock-release',
      'catalog.stock-reservation',
    ]);
    expect(bus.deadLetters()).toEqual([]);
  });
});
