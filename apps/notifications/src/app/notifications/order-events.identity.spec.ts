import { TestMessageIdentities } from '@nestkit/auth/testing';
import { OrderConfirmed, OrderPlaced } from '@nestkit/contracts/orders';
import { inMemoryDataSource } from '@nestkit/database/testing';
import { createEnvelope, type Envelope, InMemoryBus } from '@nestkit/messaging';
import type { DataSource } from 'typeorm';
import { NOTIFICATIONS_SCHEMA } from '../notifications.schema';
import { NotificationEntity } from './notification.entity';
import { OrderEventsHandler } from './order-events.handler';

/** Message identity on the event stream: only what orders signed becomes a notification, and only for the user it was signed for. */
describe(`${OrderEventsHandler.name} with message identity on`, () => {
  let identities: TestMessageIdentities;
  let dataSource: DataSource;
  let bus: InMemoryBus;
  let sut: OrderEventsHandler;

  const placed = (userId = 'u-alice') =>
    createEnvelope(OrderPlaced, { orderId: 'o-1', userId, items: [{ productId: 'p-1', quantity: 1 }] }, { producer: 'orders', key: 'o-1' });
  const confirmed = (userId = 'u-alice') => createEnvelope(OrderConfirmed, { orderId: 'o-1', userId }, { producer: 'orders', key: 'o-1' });
  const notified = async () => (await dataSource.getRepository(NotificationEntity).find({ order: { createdAt: 'ASC' } })).map((n) => [n.userId, n.kind]);
  const deliver = async (envelope: Envelope) => {
    await bus.publish(envelope);
    await bus.idle();
  };

  beforeEach(async () => {
    identities = await TestMessageIdentities.create();
    dataSource = await inMemoryDataSource(NOTIFICATIONS_SCHEMA);
    bus = new InMemoryBus();
    sut = new OrderEventsHandler(dataSource, bus, identities.verifier());
    sut.onModuleInit();
  });

  afterEach(async () => {
    await sut.onModuleDestroy();
    await bus.close();
    await dataSource.destroy();
  });

  it('notifies for an order-placed orders signed for its user, and an order-confirmed orders signed as itself', async () => {
    await deliver(await identities.signedBy('orders', placed(), { forUser: 'u-alice' }));
    await deliver(await identities.signedBy('orders', confirmed()));

    expect(await notified()).toEqual([
      ['u-alice', 'order-placed'],
      ['u-alice', 'order-confirmed'],
    ]);
    expect(bus.deadLetters()).toEqual([]);
  });

  it.each([
    ['no identity', async () => confirmed(), 'message carries no identity'],
    [
      'the identity of another service',
      async () => identities.signedBy('catalog', { ...confirmed(), producer: 'catalog' }),
      'message identity: signed by "catalog", but only "orders" may send it',
    ],
    [
      'an order-placed signed for another user than it names',
      async () => identities.signedBy('orders', placed('u-alice'), { forUser: 'u-mallory' }),
      'signed for user "u-mallory", but the event names user "u-alice"',
    ],
    ['a tampered identity', async () => TestMessageIdentities.tampered(await identities.signedBy('orders', confirmed()), { sub: 'orders-2' }), 'message identity: signature invalid'],
  ])('dead-letters an event with %s at its first delivery and notifies no one', async (_case, message, reason) => {
    const envelope = await message();
    await deliver(envelope);

    const [dead] = bus.deadLetters();
    expect(dead).toMatchObject({ reason: 'invalid-payload', deliveries: 1, envelope: { id: envelope.id } });
    expect(dead?.error).toBe(`${envelope.type} ${envelope.id} refused: ${reason}`);
    expect(await notified()).toEqual([]);
  });
});
