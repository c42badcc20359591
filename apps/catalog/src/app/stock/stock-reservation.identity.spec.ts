import { Logger } from '@nestjs/common';
import { MessageIdentityStamper, MessageIdentityVerifier, type TokenVerifier } from '@nestkit/auth';
import { FakeServiceTokenProvider, TestTokens } from '@nestkit/auth/testing';
import { OrderPlaced, type OrderPlacedPayload } from '@nestkit/contracts/orders';
import { inMemoryDataSource } from '@nestkit/database/testing';
import { UnavailableError } from '@nestkit/errors';
import { createEnvelope, type Envelope, InMemoryBus } from '@nestkit/messaging';
import { waitFor } from '@nestkit/testing';
import type { DataSource } from 'typeorm';
import { CATALOG_SCHEMA } from '../catalog.schema';
import { ProductEntity } from '../products/product.entity';
import { StockReservationHandler } from './stock-reservation.handler';

/** Message identity on catalog's side of the saga: only an order-placed signed for its own user reserves stock. */
describe(`${StockReservationHandler.name} with message identity on`, () => {
  let issuer: TestTokens;
  let stamper: MessageIdentityStamper;
  let dataSource: DataSource;
  let bus: InMemoryBus;

  const mouseStock = async () => (await dataSource.getRepository(ProductEntity).findOneByOrFail({ id: 'p-mouse' })).stock;
  const placed = (userId = 'u-alice'): Envelope<OrderPlacedPayload> =>
    createEnvelope(OrderPlaced, { orderId: `order-${userId}-${Math.random()}`, userId, items: [{ productId: 'p-mouse', quantity: 1 }] }, { producer: 'orders' });
  const onBehalfOf = async (envelope: Envelope<OrderPlacedPayload>, subject: string) =>
    stamper.stamp(envelope, { onBehalfOf: await issuer.sign({ subject, roles: ['user'] }) });

  beforeAll(() => Logger.overrideLogger(false));

  beforeEach(async () => {
    issuer = await TestTokens.create();
    stamper = new MessageIdentityStamper(new FakeServiceTokenProvider(issuer, 'orders'));
    dataSource = await inMemoryDataSource(CATALOG_SCHEMA);
    bus = new InMemoryBus();
    const identities = new MessageIdentityVerifier({ verifier: issuer.serviceVerifier('nestkit-messaging') });
    new StockReservationHandler(dataSource, bus, { service: 'catalog' }, identities).onModuleInit();
  });

  afterEach(async () => {
    await bus.close();
    await dataSource.destroy();
  });

  it('reserves an order-placed that orders signed on behalf of the order’s user', async () => {
    await bus.publish([await onBehalfOf(placed(), 'u-alice')]);

    await waitFor(async () => ((await mouseStock()) === 49 ? true : undefined), { what: 'the reservation', timeoutMs: 5_000 });
    expect(bus.deadLetters()).toEqual([]);
  });

  it.each([
    ['no identity', async () => placed(), 'message carries no identity'],
    ['a tampered identity', async () => {
      const stamped = await onBehalfOf(placed(), 'u-alice');
      return { ...stamped, identity: { token: TestTokens.tamper(stamped.identity.token, { sub: 'u-mallory' }) } };
    }, 'signature invalid'],
    ["another user's identity", async () => onBehalfOf(placed('u-alice'), 'u-mallory'), 'signed for user "u-mallory", but the order is user "u-alice"\'s'],
    ['the identity of another service acting for the user', async () => {
      const notifications = new MessageIdentityStamper(new FakeServiceTokenProvider(issuer, 'notifications'));
      return notifications.stamp({ ...placed(), producer: 'notifications' }, { onBehalfOf: await issuer.sign({ subject: 'u-alice', roles: ['user'] }) });
    }, 'signed by "notifications", but only "orders" may send it'],
    ['an identity from a foreign issuer', async () => {
      const foreign = await TestTokens.create();
      return new MessageIdentityStamper(new FakeServiceTokenProvider(foreign, 'orders')).stamp(placed(), { onBehalfOf: await foreign.sign({ subject: 'u-alice' }) });
    }, 'no matching signing key'],
  ])('dead-letters an order-placed with %s at its first delivery and reserves nothing', async (_case, message, reason) => {
    const envelope = await message();
    await bus.publish([envelope]);

    const [dead] = await waitFor(async () => (bus.deadLetters().length > 0 ? bus.deadLetters() : undefined), { what: 'the dead letter', timeoutMs: 5_000 });
    expect(dead).toMatchObject({ reason: 'invalid-payload', deliveries: 1, envelope: { id: envelope.id } });
    expect(dead?.error).toContain(reason);
    expect(await mouseStock()).toBe(50);
  });

  it('keeps an identity outage retryable instead of dead-lettering the order', async () => {
    const down: TokenVerifier = { verify: () => Promise.reject(new UnavailableError('fetching the signing keys failed', 'auth-unavailable')) };
    const sut = new StockReservationHandler(dataSource, bus, { service: 'catalog' }, new MessageIdentityVerifier({ verifier: down }));
    const envelope = await onBehalfOf(placed(), 'u-alice');

    await expect(sut.handle(envelope.payload, envelope)).rejects.toMatchObject({ code: 'auth-unavailable', retryable: true });
    expect(await mouseStock()).toBe(50);
  });
});
