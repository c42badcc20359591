import { metricValue, platformMetrics } from '@nestkit/metrics';
import { inMemoryDataSource } from '@nestkit/database/testing';
import { Logger } from '@nestjs/common';
import { StockRejected, StockReserved } from '@nestkit/contracts/catalog';
import { OrderPlaced } from '@nestkit/contracts/orders';
import { createEnvelope, type Envelope, InboxMessage, InMemoryBus, OutboxMessage } from '@nestkit/messaging';
import { DataSource } from 'typeorm';
import { OrderEntity } from '../orders/order.entity';
import { OrderSaga } from './order.saga';
import { ORDERS_SCHEMA } from '../orders.schema';

const ITEMS = [{ productId: 'p-keyboard', quantity: 2 }];

describe(OrderSaga.name, () => {
  let dataSource: DataSource;
  let bus: InMemoryBus;
  let sut: OrderSaga;
  // The message that started the flow; catalog's answers are caused by it and share its correlation id.
  const placed = createEnvelope(OrderPlaced, { orderId: 'order-1', userId: 'u-alice', items: ITEMS }, { producer: 'orders', key: 'order-1' });
  const fromCatalog = { producer: 'catalog', key: 'order-1', correlationId: placed.correlationId, causationId: placed.id };
  const reserved = () => createEnvelope(StockReserved, { orderId: 'order-1', items: ITEMS }, fromCatalog);
  const rejected = (reason = 'insufficient stock for p-keyboard: 2 requested, 1 available') =>
    createEnvelope(StockRejected, { orderId: 'order-1', reason, items: ITEMS }, fromCatalog);

  const deliver = async (...envelopes: Envelope[]) => {
    for (const envelope of envelopes) {
      await bus.publish(envelope);
      await bus.idle();
    }
  };
  const order = () => dataSource.getRepository(OrderEntity).findOneByOrFail({ id: 'order-1' });
  const outbox = async () =>
    (await dataSource.getRepository(OutboxMessage).find()).map((row) => ({ type: row.type, key: row.key, envelope: JSON.parse(row.envelope) as Envelope }));

  // Answers for settled or unknown orders are logged and dropped; the database state is what is asserted.
  beforeAll(() => Logger.overrideLogger(false));

  // Placed well before the answer arrives, with milliseconds, as OrdersService stores it.
  const PLACED_AT = new Date(Date.now() - 60_000 + 123);

  beforeEach(async () => {
    dataSource = await inMemoryDataSource(ORDERS_SCHEMA);
    await dataSource
      .getRepository(OrderEntity)
      .save(Object.assign(new OrderEntity(), { id: 'order-1', userId: 'u-alice', status: 'PENDING', reason: null, items: ITEMS, createdAt: PLACED_AT, updatedAt: PLACED_AT }));
    bus = new InMemoryBus();
    sut = new OrderSaga(dataSource, bus, { service: 'orders' });
    sut.onModuleInit();
  });
  afterEach(async () => {
    await sut.onModuleDestroy();
    await bus.close();
    await dataSource.destroy();
  });

  it('never shows an order updated before it was created, even when answered within the same second', async () => {
    const justNow = new Date();
    await dataSource.getRepository(OrderEntity).update({ id: 'order-1' }, { createdAt: justNow, updatedAt: justNow });

    await deliver(reserved());

    const settled = await order();
    expect(settled.updatedAt.getTime()).toBeGreaterThanOrEqual(settled.createdAt.getTime());
  });

  it('confirms a PENDING order on stock-reserved and enqueues orders.order-confirmed in the same flow', async () => {
    const answer = reserved();

    await deliver(answer);

    expect(await order()).toMatchObject({ status: 'CONFIRMED', reason: null });
    expect((await order()).updatedAt.getTime()).toBeGreaterThan(PLACED_AT.getTime());
    expect(await outbox()).toEqual([{ type: 'orders.order-confirmed', key: 'order-1', envelope: expect.any(Object) }]);
    expect((await outbox())[0].envelope).toMatchObject({
      producer: 'orders',
      key: 'order-1',
      causationId: answer.id,
      correlationId: placed.correlationId,
      payload: { orderId: 'order-1', userId: 'u-alice' },
    });
    expect(bus.deadLetters()).toEqual([]);
  });

  it("rejects a PENDING order on stock-rejected with catalog's reason and enqueues orders.order-rejected", async () => {
    const answer = rejected();

    await deliver(answer);

    expect(await order()).toMatchObject({ status: 'REJECTED', reason: 'insufficient stock for p-keyboard: 2 requested, 1 available' });
    expect(await outbox()).toEqual([{ type: 'orders.order-rejected', key: 'order-1', envelope: expect.any(Object) }]);
    expect((await outbox())[0].envelope).toMatchObject({
      causationId: answer.id,
      correlationId: placed.correlationId,
      payload: { orderId: 'order-1', userId: 'u-alice', reason: 'insufficient stock for p-keyboard: 2 requested, 1 available' },
    });
  });

  it('ignores a second answer once the order is settled, and counts one outcome', async () => {
    const outcomes = (outcome: string) => metricValue(platformMetrics.registry, 'nestkit_saga_outcomes_total', { saga: 'order', outcome });
    const [confirmedBefore, rejectedBefore] = [await outcomes('confirmed'), await outcomes('rejected')];
    await deliver(reserved(), rejected());
    expect(await outcomes('confirmed')).toBe(confirmedBefore + 1);
    expect(await outcomes('rejected')).toBe(rejectedBefore);

    expect(await order()).toMatchObject({ status: 'CONFIRMED', reason: null });
    expect((await outbox()).map((row) => row.type)).toEqual(['orders.order-confirmed']);
    expect(bus.deadLetters()).toEqual([]);
  });

  it('ignores a late stock-reserved for an order already rejected', async () => {
    await deliver(rejected('product p-keyboard does not exist'), reserved());

    expect(await order()).toMatchObject({ status: 'REJECTED', reason: 'product p-keyboard does not exist' });
    expect((await outbox()).map((row) => row.type)).toEqual(['orders.order-rejected']);
  });

  it('ignores both answers for an order the saga timeout cancelled (catalog releases its stock on the cancel)', async () => {
    const reason = 'stock reservation timed out after 30000 ms';
    await dataSource.getRepository(OrderEntity).update({ id: 'order-1' }, { status: 'CANCELLED', reason });

    await deliver(reserved(), rejected('order was cancelled'));

    expect(await order()).toMatchObject({ status: 'CANCELLED', reason });
    expect(await outbox()).toEqual([]);
    expect(bus.deadLetters()).toEqual([]);
  });

  it('applies a redelivered answer (same envelope id) once', async () => {
    const answer = reserved();

    await deliver(answer, answer);

    expect(await order()).toMatchObject({ status: 'CONFIRMED', version: 2 });
    expect((await outbox()).map((row) => row.type)).toEqual(['orders.order-confirmed']);
    expect(await dataSource.getRepository(InboxMessage).find()).toEqual([
      expect.objectContaining({ consumer: 'orders.order-saga', messageId: answer.id }),
    ]);
  });

  it('dedupes redeliveries through the inbox, not only through the status check', async () => {
    const answer = rejected();
    await deliver(answer);
    // Back to PENDING, so only the inbox record can stop the redelivery from rejecting it again.
    await dataSource.getRepository(OrderEntity).update({ id: 'order-1' }, { status: 'PENDING', reason: null });

    await deliver(answer);

    expect(await order()).toMatchObject({ status: 'PENDING', reason: null });
    expect(await outbox()).toHaveLength(1);
  });

  it('drops an answer for an unknown order without failing the message', async () => {
    await deliver(createEnvelope(StockReserved, { orderId: 'order-404', items: ITEMS }, fromCatalog));

    expect(await order()).toMatchObject({ status: 'PENDING' });
    expect(await outbox()).toEqual([]);
    expect(bus.deadLetters()).toEqual([]);
  });

  it('stops consuming after onModuleDestroy', async () => {
    await sut.onModuleDestroy();

    await deliver(reserved());

    expect(await order()).toMatchObject({ status: 'PENDING' });
    expect(await outbox()).toEqual([]);
  });
});
