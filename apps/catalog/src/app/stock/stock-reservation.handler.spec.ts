import { inMemoryDataSource } from '@nestkit/database/testing';
import { Logger } from '@nestjs/common';
import { StockRejected, StockReserved } from '@nestkit/contracts/catalog';
import { OrderPlaced, type OrderPlacedPayload } from '@nestkit/contracts/orders';
import { createEnvelope, type Envelope, InboxMessage, InMemoryBus, OutboxMessage } from '@nestkit/messaging';
import { DataSource } from 'typeorm';
import { ProductEntity } from '../products/product.entity';
import { StockReservationEntity } from './stock-reservation.entity';
import { StockReservationHandler } from './stock-reservation.handler';
import { CATALOG_SCHEMA } from '../catalog.schema';

const SEEDED_STOCK = { 'p-keyboard': 25, 'p-monitor': 3, 'p-mouse': 50 };

function orderPlaced(items: OrderPlacedPayload['items'], orderId = 'order-1'): Envelope<OrderPlacedPayload> {
  return createEnvelope(OrderPlaced, { orderId, userId: 'u-alice', items }, { producer: 'orders', key: orderId });
}

describe(StockReservationHandler.name, () => {
  let dataSource: DataSource;
  let bus: InMemoryBus;
  let sut: StockReservationHandler;

  const handle = (envelope: Envelope<OrderPlacedPayload>) => sut.handle(envelope.payload, envelope);
  const stock = async () =>
    Object.fromEntries((await dataSource.getRepository(ProductEntity).find({ order: { id: 'ASC' } })).map((p) => [p.id, p.stock]));
  const outbox = async () =>
    (await dataSource.getRepository(OutboxMessage).find()).map((row) => ({ type: row.type, key: row.key, envelope: JSON.parse(row.envelope) as Envelope }));

  // The handler logs every rejection; the outbox rows are what these tests assert.
  beforeAll(() => Logger.overrideLogger(false));

  beforeEach(async () => {
    dataSource = await inMemoryDataSource(CATALOG_SCHEMA);
    bus = new InMemoryBus();
    sut = new StockReservationHandler(dataSource, bus, { service: 'catalog' });
  });
  afterEach(async () => {
    await bus.close();
    await dataSource.destroy();
  });

  it('reserves every line and answers stock-reserved, caused by the order-placed message', async () => {
    const placed = orderPlaced([
      { productId: 'p-keyboard', quantity: 2 },
      { productId: 'p-monitor', quantity: 3 },
    ]);

    await handle(placed);

    expect(await stock()).toEqual({ 'p-keyboard': 23, 'p-monitor': 0, 'p-mouse': 50 });
    const [row, ...others] = await outbox();
    expect(others).toEqual([]);
    expect(row).toEqual({ type: StockReserved.type, key: 'order-1', envelope: expect.objectContaining({ type: 'catalog.stock-reserved' }) });
    expect(row.envelope).toMatchObject({
      producer: 'catalog',
      key: 'order-1',
      causationId: placed.id,
      correlationId: placed.correlationId,
      payload: { orderId: 'order-1', items: placed.payload.items },
    });
  });

  it('bumps the version of each reserved product', async () => {
    await handle(orderPlaced([{ productId: 'p-mouse', quantity: 1 }]));

    expect(await dataSource.getRepository(ProductEntity).findOneByOrFail({ id: 'p-mouse' })).toMatchObject({ stock: 49, version: 2 });
  });

  it('rejects an order for more than the stock, naming the product and the numbers, and keeps the stock', async () => {
    const placed = orderPlaced([{ productId: 'p-monitor', quantity: 4 }]);

    await handle(placed);

    expect(await stock()).toEqual(SEEDED_STOCK);
    expect(await outbox()).toEqual([{ type: StockRejected.type, key: 'order-1', envelope: expect.any(Object) }]);
    expect((await outbox())[0].envelope).toMatchObject({
      type: 'catalog.stock-rejected',
      causationId: placed.id,
      correlationId: placed.correlationId,
      payload: { orderId: 'order-1', reason: 'insufficient stock for p-monitor: 4 requested, 3 available', items: placed.payload.items },
    });
  });

  it('rejects an order for an unknown product, naming it', async () => {
    await handle(orderPlaced([{ productId: 'p-nope', quantity: 1 }]));

    expect(await stock()).toEqual(SEEDED_STOCK);
    expect((await outbox()).map((row) => [row.type, (row.envelope.payload as { reason: string }).reason])).toEqual([
      ['catalog.stock-rejected', 'product p-nope does not exist'],
    ]);
  });

  it('reserves nothing when a later line is short, even though the first line fits', async () => {
    await handle(
      orderPlaced([
        { productId: 'p-keyboard', quantity: 2 },
        { productId: 'p-monitor', quantity: 4 },
      ]),
    );

    expect(await stock()).toEqual(SEEDED_STOCK);
    expect((await outbox()).map((row) => [row.type, (row.envelope.payload as { reason: string }).reason])).toEqual([
      ['catalog.stock-rejected', 'insufficient stock for p-monitor: 4 requested, 3 available'],
    ]);
  });

  it('counts lines naming one product twice together, and rejects them when they exceed the stock', async () => {
    await handle(orderPlaced([{ productId: 'p-monitor', quantity: 2 }, { productId: 'p-monitor', quantity: 2 }]));
    expect(await stock()).toEqual(SEEDED_STOCK);
    const rows = await outbox();
    expect(rows.map((r) => r.type)).toEqual(['catalog.stock-rejected']);
    expect((rows[0].envelope.payload as { reason: string }).reason).toBe('insufficient stock for p-monitor: 4 requested, 3 available');
  });

  it('reserves lines naming one product twice as their sum when it fits', async () => {
    await handle(orderPlaced([{ productId: 'p-mouse', quantity: 2 }, { productId: 'p-mouse', quantity: 3 }]));
    expect(await stock()).toEqual({ ...SEEDED_STOCK, 'p-mouse': 45 });
  });

  it('handles a redelivered message once: one decrement, one answer, one inbox record', async () => {
    const placed = orderPlaced([{ productId: 'p-keyboard', quantity: 5 }]);

    await handle(placed);
    await handle(JSON.parse(JSON.stringify(placed)) as Envelope<OrderPlacedPayload>);

    expect(await stock()).toEqual({ ...SEEDED_STOCK, 'p-keyboard': 20 });
    expect((await outbox()).map((row) => row.type)).toEqual(['catalog.stock-reserved']);
    expect(await dataSource.getRepository(InboxMessage).find()).toEqual([
      expect.objectContaining({ consumer: 'catalog.stock-reservation', messageId: placed.id }),
    ]);
  });

  it('records what it reserved for the order, and nothing for a rejected one', async () => {
    await handle(orderPlaced([{ productId: 'p-keyboard', quantity: 2 }], 'order-1'));
    await handle(orderPlaced([{ productId: 'p-monitor', quantity: 4 }], 'order-2'));

    expect(await dataSource.getRepository(StockReservationEntity).find()).toEqual([
      expect.objectContaining({ orderId: 'order-1', status: 'RESERVED', items: [{ productId: 'p-keyboard', quantity: 2 }] }),
    ]);
  });

  it('reserves an order once even when orders sends a second order-placed for it under another id', async () => {
    await handle(orderPlaced([{ productId: 'p-keyboard', quantity: 2 }]));
    await handle(orderPlaced([{ productId: 'p-keyboard', quantity: 2 }]));

    expect(await stock()).toEqual({ ...SEEDED_STOCK, 'p-keyboard': 23 });
    expect((await outbox()).map((row) => row.type)).toEqual(['catalog.stock-reserved']);
  });

  it('treats two different order-placed messages as two reservations', async () => {
    await handle(orderPlaced([{ productId: 'p-monitor', quantity: 2 }], 'order-1'));
    await handle(orderPlaced([{ productId: 'p-monitor', quantity: 2 }], 'order-2'));

    expect(await stock()).toEqual({ ...SEEDED_STOCK, 'p-monitor': 1 });
    expect((await outbox()).map((row) => [row.type, row.key])).toEqual(
      expect.arrayContaining([
        ['catalog.stock-reserved', 'order-1'],
        ['catalog.stock-rejected', 'order-2'],
      ]),
    );
    expect(await outbox()).toHaveLength(2);
  });

  it('reserves orders that arrive over the bus once subscribed', async () => {
    sut.onModuleInit();
    await bus.publish(orderPlaced([{ productId: 'p-mouse', quantity: 10 }]));
    await bus.idle();
    await sut.onModuleDestroy();

    expect(await stock()).toEqual({ ...SEEDED_STOCK, 'p-mouse': 40 });
    expect((await outbox()).map((row) => row.type)).toEqual(['catalog.stock-reserved']);
  });
});
