import { inMemoryDataSource } from '@nestkit/database/testing';
import { OrderCancelled, OrderConfirmed, OrderPlaced, OrderRejected } from '@nestkit/contracts/orders';
import { createEnvelope, type Envelope, InboxMessage, InMemoryBus } from '@nestkit/messaging';
import { DataSource } from 'typeorm';
import { NotificationEntity } from './notification.entity';
import { NotificationsHttpController } from './notifications.http.controller';
import { OrderEventsHandler } from './order-events.handler';
import { NOTIFICATIONS_SCHEMA } from '../notifications.schema';

describe(OrderEventsHandler.name, () => {
  const producer = { producer: 'orders' };
  let dataSource: DataSource;
  let bus: InMemoryBus;
  let sut: OrderEventsHandler;

  const notifications = () => dataSource.getRepository(NotificationEntity).find();

  beforeEach(async () => {
    dataSource = await inMemoryDataSource(NOTIFICATIONS_SCHEMA);
    bus = new InMemoryBus();
    sut = new OrderEventsHandler(dataSource, bus);
    sut.onModuleInit();
  });

  afterEach(async () => {
    await sut.onModuleDestroy();
    await bus.close();
    await dataSource.destroy();
  });

  it('stores an order-placed notification for the order owner', async () => {
    const items = [{ productId: 'p-1', quantity: 2 }];
    await bus.publish(createEnvelope(OrderPlaced, { orderId: 'o-1', userId: 'u-1', items }, producer));
    await bus.idle();

    expect(await notifications()).toEqual([
      expect.objectContaining({ userId: 'u-1', kind: 'order-placed', orderId: 'o-1', message: 'Order o-1 received; checking stock.' }),
    ]);
  });

  it('stores an order-confirmed notification for the order owner', async () => {
    await bus.publish(createEnvelope(OrderConfirmed, { orderId: 'o-1', userId: 'u-1' }, producer));
    await bus.idle();

    expect(await notifications()).toEqual([
      expect.objectContaining({ userId: 'u-1', kind: 'order-confirmed', orderId: 'o-1', message: 'Order o-1 is confirmed.' }),
    ]);
  });

  it('stores an order-rejected notification that gives the reason', async () => {
    await bus.publish(createEnvelope(OrderRejected, { orderId: 'o-1', userId: 'u-1', reason: 'out of stock: p-1' }, producer));
    await bus.idle();

    expect(await notifications()).toEqual([
      expect.objectContaining({
        userId: 'u-1',
        kind: 'order-rejected',
        orderId: 'o-1',
        message: 'Order o-1 was rejected: out of stock: p-1',
      }),
    ]);
  });

  it('stores an order-cancelled notification that gives the reason', async () => {
    const reason = 'stock reservation timed out after 30000 ms';
    await bus.publish(createEnvelope(OrderCancelled, { orderId: 'o-1', userId: 'u-1', reason }, producer));
    await bus.idle();

    expect(await notifications()).toEqual([
      expect.objectContaining({
        userId: 'u-1',
        kind: 'order-cancelled',
        orderId: 'o-1',
        message: 'Order o-1 was cancelled: stock reservation timed out after 30000 ms',
      }),
    ]);
    expect(bus.deadLetters()).toEqual([]);
  });

  it('cuts a message longer than its column to 500 characters instead of failing', async () => {
    await bus.publish(createEnvelope(OrderRejected, { orderId: 'o-1', userId: 'u-1', reason: 'x'.repeat(600) }, producer));
    await bus.idle();

    const [stored] = await notifications();
    expect(stored?.message).toHaveLength(500);
    expect(stored?.message.startsWith('Order o-1 was rejected: xxx')).toBe(true);
    expect(bus.deadLetters()).toEqual([]);
  });

  it('stores one notification when the same envelope is delivered twice', async () => {
    const envelope = createEnvelope(OrderConfirmed, { orderId: 'o-1', userId: 'u-1' }, producer);

    await bus.publish(envelope);
    await bus.publish(envelope);
    await bus.idle();

    expect(await notifications()).toHaveLength(1);
    expect(await dataSource.getRepository(InboxMessage).find()).toEqual([
      expect.objectContaining({ consumer: 'notifications.order-events', messageId: envelope.id }),
    ]);
  });

  it('dead-letters an envelope whose payload breaks the contract and stores nothing', async () => {
    const valid = createEnvelope(OrderConfirmed, { orderId: 'o-1', userId: 'u-1' }, producer);
    const invalid: Envelope = { ...valid, payload: { orderId: 'o-1' } };

    await bus.publish(invalid);
    await bus.idle();

    expect(bus.deadLetters()).toEqual([
      expect.objectContaining({ envelope: invalid, group: 'notifications.order-events', reason: 'invalid-payload', deliveries: 1 }),
    ]);
    expect(await notifications()).toEqual([]);
  });

  it('stops consuming after onModuleDestroy', async () => {
    await sut.onModuleDestroy();

    await bus.publish(createEnvelope(OrderConfirmed, { orderId: 'o-1', userId: 'u-1' }, producer));
    await bus.idle();

    expect(await notifications()).toEqual([]);
  });

  it('lists notifications stored within one second in the order their events happened', async () => {
    const list = new NotificationsHttpController(dataSource.getRepository(NotificationEntity));
    for (let i = 0; i < 10; i += 1) {
      await bus.publish(createEnvelope(OrderPlaced, { orderId: `o-${i}`, userId: `u-${i}`, items: [{ productId: 'p', quantity: 1 }] }, producer));
      await bus.idle();
      await bus.publish(createEnvelope(OrderConfirmed, { orderId: `o-${i}`, userId: `u-${i}` }, producer));
      await bus.idle();
      const kinds = (await list.list({ subject: `u-${i}`, roles: [], tokenId: 't', kind: 'user' }, 50)).map((n) => n.kind);
      expect(kinds).toEqual(['order-confirmed', 'order-placed']);
    }
  });
});
