import { Logger } from '@nestjs/common';
import { TestMessageIdentities } from '@nestkit/auth/testing';
import { OrderCancelled, type OrderCancelledPayload, OrderPlaced } from '@nestkit/contracts/orders';
import { inMemoryDataSource } from '@nestkit/database/testing';
import { createEnvelope, type Envelope, InMemoryBus } from '@nestkit/messaging';
import type { DataSource } from 'typeorm';
import { CATALOG_SCHEMA } from '../catalog.schema';
import { ProductEntity } from '../products/product.entity';
import { StockReleaseHandler } from './stock-release.handler';
import { StockReservationEntity } from './stock-reservation.entity';
import { StockReservationHandler } from './stock-reservation.handler';

/** Message identity on catalog's compensation: only a cancel that orders signed gives reserved stock back. */
describe(`${StockReleaseHandler.name} with message identity on`, () => {
  let identities: TestMessageIdentities;
  let dataSource: DataSource;
  let bus: InMemoryBus;

  const cancelled = (): Envelope<OrderCancelledPayload> =>
    createEnvelope(OrderCancelled, { orderId: 'order-1', userId: 'u-alice', reason: 'timed out' }, { producer: 'orders', key: 'order-1' });
  const mouseStock = async () => (await dataSource.getRepository(ProductEntity).findOneByOrFail({ id: 'p-mouse' })).stock;
  const status = async () => (await dataSource.getRepository(StockReservationEntity).findOneByOrFail({ orderId: 'order-1' })).status;
  const deliver = async (envelope: Envelope) => {
    await bus.publish(envelope);
    await bus.idle();
  };

  beforeAll(() => Logger.overrideLogger(false));

  beforeEach(async () => {
    identities = await TestMessageIdentities.create();
    dataSource = await inMemoryDataSource(CATALOG_SCHEMA);
    bus = new InMemoryBus();
    // Ten mice reserved for order-1 first, through the reservation handler (identity off for the setup).
    const placed = createEnvelope(OrderPlaced, { orderId: 'order-1', userId: 'u-alice', items: [{ productId: 'p-mouse', quantity: 10 }] }, { producer: 'orders' });
    await new StockReservationHandler(dataSource, bus, { service: 'catalog' }).handle(placed.payload, placed);
    new StockReleaseHandler(dataSource, bus, { service: 'catalog' }, identities.verifier()).onModuleInit();
  });

  afterEach(async () => {
    await bus.close();
    await dataSource.destroy();
  });

  it('releases the stock of a cancel that orders signed', async () => {
    expect(await mouseStock()).toBe(40);

    await deliver(await identities.signedBy('orders', cancelled()));

    expect(await mouseStock()).toBe(50);
    expect(await status()).toBe('RELEASED');
    expect(bus.deadLetters()).toEqual([]);
  });

  it.each([
    ['no identity', async () => cancelled(), 'message carries no identity'],
    [
      'the identity of another service',
      async () => identities.signedBy('gateway', { ...cancelled(), producer: 'gateway' }),
      'message identity: signed by "gateway", but only "orders" may send it',
    ],
    ['a tampered identity', async () => TestMessageIdentities.tampered(await identities.signedBy('orders', cancelled()), { sub: 'orders-2' }), 'message identity: signature invalid'],
  ])('dead-letters a cancel with %s at its first delivery and keeps the stock reserved', async (_case, message, reason) => {
    const envelope = await message();
    await deliver(envelope);

    const [dead] = bus.deadLetters();
    expect(dead).toMatchObject({ reason: 'invalid-payload', deliveries: 1, envelope: { id: envelope.id } });
    expect(dead?.error).toBe(`orders.order-cancelled ${envelope.id} refused: ${reason}`);
    expect(await mouseStock()).toBe(40);
    expect(await status()).toBe('RESERVED');
  });
});
