import { Logger } from '@nestjs/common';
import type { TokenVerifier } from '@nestkit/auth';
import { MessageIdentityVerifier } from '@nestkit/auth';
import { TestMessageIdentities } from '@nestkit/auth/testing';
import { StockRejected, StockReserved } from '@nestkit/contracts/catalog';
import { inMemoryDataSource } from '@nestkit/database/testing';
import { UnavailableError } from '@nestkit/errors';
import { createEnvelope, type Envelope, InMemoryBus, OutboxMessage } from '@nestkit/messaging';
import { waitFor } from '@nestkit/testing';
import type { DataSource } from 'typeorm';
import { OrderEntity } from '../orders/order.entity';
import { ORDERS_SCHEMA } from '../orders.schema';
import { OrderSaga } from './order.saga';

const ITEMS = [{ productId: 'p-keyboard', quantity: 2 }];

/** Message identity on orders' side of the saga: only catalog's signed answers settle an order. */
describe(`${OrderSaga.name} with message identity on`, () => {
  let identities: TestMessageIdentities;
  let dataSource: DataSource;
  let bus: InMemoryBus;
  let sut: OrderSaga;

  const reserved = () => createEnvelope(StockReserved, { orderId: 'order-1', items: ITEMS }, { producer: 'catalog', key: 'order-1' });
  const rejected = () => createEnvelope(StockRejected, { orderId: 'order-1', reason: 'out of stock', items: ITEMS }, { producer: 'catalog', key: 'order-1' });
  const status = async () => (await dataSource.getRepository(OrderEntity).findOneByOrFail({ id: 'order-1' })).status;
  const deliver = async (envelope: Envelope) => {
    await bus.publish(envelope);
    await bus.idle();
  };

  beforeAll(() => Logger.overrideLogger(false));

  beforeEach(async () => {
    identities = await TestMessageIdentities.create();
    dataSource = await inMemoryDataSource(ORDERS_SCHEMA);
    const now = new Date();
    await dataSource
      .getRepository(OrderEntity)
      .save(Object.assign(new OrderEntity(), { id: 'order-1', userId: 'u-alice', status: 'PENDING', reason: null, items: ITEMS, createdAt: now, updatedAt: now }));
    bus = new InMemoryBus();
    sut = new OrderSaga(dataSource, bus, { service: 'orders' }, identities.verifier());
    sut.onModuleInit();
  });

  afterEach(async () => {
    await sut.onModuleDestroy();
    await bus.close();
    await dataSource.destroy();
  });

  it('confirms on a stock-reserved that catalog signed, and rejects on a signed stock-rejected', async () => {
    await deliver(await identities.signedBy('catalog', reserved()));

    expect(await status()).toBe('CONFIRMED');
    expect(bus.deadLetters()).toEqual([]);
  });

  it('rejects on a stock-rejected that catalog signed', async () => {
    await deliver(await identities.signedBy('catalog', rejected()));

    expect(await status()).toBe('REJECTED');
  });

  it.each([
    ['no identity', async () => reserved(), 'message carries no identity'],
    [
      'the identity of another service',
      async () => identities.signedBy('notifications', { ...reserved(), producer: 'notifications' }),
      'message identity: signed by "notifications", but only "catalog" may send it',
    ],
    [
      'a user’s identity relayed by another service',
      async () => identities.signedBy('orders', { ...reserved(), producer: 'orders' }, { forUser: 'u-alice' }),
      'message identity: signed by "orders", but only "catalog" may send it',
    ],
    ['a tampered identity', async () => TestMessageIdentities.tampered(await identities.signedBy('catalog', reserved()), { sub: 'catalog-2' }), 'message identity: signature invalid'],
    ['an identity from a foreign issuer', async () => TestMessageIdentities.foreign('catalog', reserved()), 'message identity: no matching signing key'],
  ])('dead-letters a stock-reserved with %s at its first delivery and leaves the order PENDING', async (_case, message, reason) => {
    const envelope = await message();
    await deliver(envelope);

    const [dead] = bus.deadLetters();
    expect(dead).toMatchObject({ reason: 'invalid-payload', deliveries: 1, envelope: { id: envelope.id } });
    expect(dead?.error).toBe(`catalog.stock-reserved ${envelope.id} refused: ${reason}`);
    expect(await status()).toBe('PENDING');
    expect(await dataSource.getRepository(OutboxMessage).count()).toBe(0);
  });

  it('keeps an identity outage retryable: the answer is delivered again, not dead-lettered', async () => {
    await sut.onModuleDestroy();
    let checks = 0;
    const down: TokenVerifier = {
      verify: () => {
        checks += 1;
        return Promise.reject(new UnavailableError('fetching the signing keys failed', 'auth-unavailable'));
      },
    };
    sut = new OrderSaga(dataSource, bus, { service: 'orders' }, new MessageIdentityVerifier({ verifier: down }));
    sut.onModuleInit();

    await bus.publish(await identities.signedBy('catalog', reserved()));
    await waitFor(() => checks >= 2 || undefined, { what: 'a second delivery after the outage', timeoutMs: 5_000 });

    expect(bus.deadLetters()).toEqual([]);
    expect(await status()).toBe('PENDING');
  });
});
