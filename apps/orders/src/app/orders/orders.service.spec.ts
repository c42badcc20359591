import { inMemoryDataSource } from '@nestkit/database/testing';
import { MessageIdentityStamper, MessageIdentityVerifier, type Principal } from '@nestkit/auth';
import { FakeServiceTokenProvider, TestTokens } from '@nestkit/auth/testing';
import type { Product } from '@nestkit/contracts/catalog';
import type { PlaceOrderRequest } from '@nestkit/contracts/orders';
import { NotFoundError, UnavailableError, ValidationError } from '@nestkit/errors';
import { type Envelope, OutboxMessage } from '@nestkit/messaging';
import { DataSource } from 'typeorm';
import type { CatalogClient } from './catalog.client';
import { OrderEntity } from './order.entity';
import { OrdersService, toOrderView } from './orders.service';
import { ORDERS_SCHEMA } from '../orders.schema';

const alice: Principal = { subject: 'u-alice', roles: ['user'], tokenId: 't-alice', kind: 'user' };
const bob: Principal = { subject: 'u-bob', roles: ['user'], tokenId: 't-bob', kind: 'user' };
const admin: Principal = { subject: 'u-admin', roles: ['admin'], tokenId: 't-admin', kind: 'user' };

const product = (id: string): Product => ({ id, sku: `SKU-${id}`, name: id, priceCents: 100, stock: 10 });

/** Answers product lookups from a fixed list, or fails as a catalog outage would. */
class FakeCatalog {
  readonly lookups: string[][] = [];
  failure?: Error;

  constructor(private readonly known: readonly string[]) {}

  async products(ids: readonly string[]): Promise<Product[]> {
    this.lookups.push([...ids]);
    if (this.failure) throw this.failure;
    return this.known.filter((id) => ids.includes(id)).map(product);
  }
}

describe(OrdersService.name, () => {
  let dataSource: DataSource;
  let catalog: FakeCatalog;
  let sut: OrdersService;

  const orderRows = () => dataSource.getRepository(OrderEntity).find();
  const outboxRows = () => dataSource.getRepository(OutboxMessage).find();
  const rejection = (promise: Promise<unknown>) => promise.then(() => expect.unreachable('expected a rejection'), (error: unknown) => error);
  const request = (...productIds: string[]): PlaceOrderRequest => ({ items: productIds.map((productId, i) => ({ productId, quantity: i + 1 })) });

  beforeEach(async () => {
    dataSource = await inMemoryDataSource(ORDERS_SCHEMA);
    catalog = new FakeCatalog(['p-keyboard', 'p-mouse']);
    sut = new OrdersService(dataSource, dataSource.getRepository(OrderEntity), catalog as unknown as CatalogClient, { service: 'orders' });
  });
  afterEach(async () => dataSource.destroy());

  describe('place', () => {
    it('stores a PENDING order for the caller and returns its view', async () => {
      const placed = await sut.place(alice, request('p-keyboard', 'p-mouse'));

      expect(placed).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        userId: 'u-alice',
        status: 'PENDING',
        items: [
          { productId: 'p-keyboard', quantity: 1 },
          { productId: 'p-mouse', quantity: 2 },
        ],
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });
      expect(await orderRows()).toEqual([
        expect.objectContaining({ id: placed.id, userId: 'u-alice', status: 'PENDING', reason: null, items: placed.items, version: 1 }),
      ]);
      expect(catalog.lookups).toEqual([['p-keyboard', 'p-mouse']]);
    });

    it("signs the order-placed event as orders acting for the caller, without the caller's own token in it", async () => {
      const issuer = await TestTokens.create();
      const tokens = new FakeServiceTokenProvider(issuer, 'orders');
      const signing = new OrdersService(dataSource, dataSource.getRepository(OrderEntity), catalog as unknown as CatalogClient, { service: 'orders' }, new MessageIdentityStamper(tokens));
      const userToken = await issuer.sign({ subject: 'u-alice', roles: ['user'] });

      await signing.place(alice, request('p-mouse'), userToken);

      const [row] = await outboxRows();
      const identities = new MessageIdentityVerifier({ verifier: issuer.serviceVerifier('nestkit-messaging') });
      await expect(identities.verify(JSON.parse(row.envelope) as Envelope)).resolves.toMatchObject({ subject: 'u-alice', actor: { subject: 'orders' } });
      expect(row.envelope).not.toContain(userToken);
      expect(tokens.requests).toEqual([{ audience: 'nestkit-messaging', userToken }]);
    });

    it('enqueues exactly one orders.order-placed event keyed by the order id', async () => {
      const placed = await sut.place(alice, request('p-keyboard'));

      const rows = await outboxRows();
      expect(rows.map((row) => ({ type: row.type, key: row.key, publishedAt: row.publishedAt }))).toEqual([
        { type: 'orders.order-placed', key: placed.id, publishedAt: null },
      ]);
      const envelope = JSON.parse(rows[0].envelope) as Envelope;
      expect(envelope).toMatchObject({
        id: rows[0].id,
        type: 'orders.order-placed',
        version: 1,
        producer: 'orders',
        key: placed.id,
        correlationId: rows[0].id,
        payload: { orderId: placed.id, userId: 'u-alice', items: [{ productId: 'p-keyboard', quantity: 1 }] },
      });
      expect(envelope).not.toHaveProperty('causationId');
    });

    it("keeps the event's correlation id with the order, for the saga timeout's cancel to join the flow", async () => {
      const placed = await sut.place(alice, request('p-keyboard'));

      const [row] = await outboxRows();
      expect(await orderRows()).toEqual([expect.objectContaining({ id: placed.id, correlationId: row.id })]);
    });

    it('writes the order and its event in one transaction: when the event cannot be stored, neither is', async () => {
      await dataSource.query('DROP TABLE outbox');

      await expect(sut.place(alice, request('p-keyboard'))).rejects.toThrow(/outbox/);

      expect(await orderRows()).toEqual([]);
    });

    it('rejects a product named twice, pointing at the repeated line, before asking catalog or writing', async () => {
      const error = await rejection(sut.place(alice, request('p-keyboard', 'p-keyboard', 'p-mouse')));

      expect(error).toBeInstanceOf(ValidationError);
      expect(error).toMatchObject({
        code: 'validation-failed',
        issues: [{ path: 'items.1.productId', message: 'product p-keyboard appears more than once; merge the lines' }],
      });
      expect(catalog.lookups).toEqual([]);
      expect(await orderRows()).toEqual([]);
      expect(await outboxRows()).toEqual([]);
    });

    it('rejects products catalog does not know, naming each unknown line, and writes nothing', async () => {
      const error = await rejection(sut.place(alice, request('p-nope', 'p-keyboard', 'p-gone')));

      expect(error).toBeInstanceOf(ValidationError);
      expect(error).toMatchObject({
        code: 'orders.unknown-product',
        message: 'Invalid request body: unknown product items.0.productId, items.2.productId',
        issues: [
          { path: 'items.0.productId', message: 'product p-nope does not exist' },
          { path: 'items.2.productId', message: 'product p-gone does not exist' },
        ],
      });
      expect(await orderRows()).toEqual([]);
      expect(await outboxRows()).toEqual([]);
    });

    it('lets a catalog outage propagate unchanged and writes nothing', async () => {
      const outage = new UnavailableError('catalog answered 503 to a product lookup', 'orders.catalog-unavailable');
      catalog.failure = outage;

      expect(await rejection(sut.place(alice, request('p-keyboard')))).toBe(outage);
      expect(await orderRows()).toEqual([]);
      expect(await outboxRows()).toEqual([]);
    });
  });

  describe('get', () => {
    it("returns the caller's own order", async () => {
      const placed = await sut.place(alice, request('p-mouse'));

      expect(await sut.get(alice, placed.id)).toEqual(placed);
    });

    it("answers someone else's order exactly like a missing one", async () => {
      const placed = await sut.place(alice, request('p-mouse'));

      const foreign = await rejection(sut.get(bob, placed.id));
      const missing = await rejection(sut.get(bob, 'no-such-order'));

      expect(foreign).toBeInstanceOf(NotFoundError);
      expect(missing).toBeInstanceOf(NotFoundError);
      expect(foreign).toMatchObject({ code: 'orders.order-not-found', kind: 'not-found', message: `order ${placed.id} does not exist` });
      expect(missing).toMatchObject({ code: 'orders.order-not-found', kind: 'not-found', message: 'order no-such-order does not exist' });
    });

    it('lets an admin read any order', async () => {
      const placed = await sut.place(alice, request('p-mouse'));

      expect(await sut.get(admin, placed.id)).toEqual(placed);
    });
  });

  describe('listMine', () => {
    it("returns only the caller's orders", async () => {
      const first = await sut.place(alice, request('p-keyboard'));
      await sut.place(bob, request('p-mouse'));
      const second = await sut.place(alice, request('p-mouse'));

      const mine = await sut.listMine(alice);

      expect(mine.map((order) => order.id).sort()).toEqual([first.id, second.id].sort());
      expect(mine.every((order) => order.userId === 'u-alice')).toBe(true);
      expect(await sut.listMine(admin)).toEqual([]);
    });

    it('lists newest first and at most 100 orders', async () => {
      const stored = Array.from({ length: 101 }, (_, i) =>
        Object.assign(new OrderEntity(), {
          id: `o-${String(i).padStart(3, '0')}`,
          userId: 'u-alice',
          status: 'PENDING' as const,
          reason: null,
          items: [{ productId: 'p-mouse', quantity: 1 }],
          createdAt: new Date(Date.UTC(2025, 0, 1, 0, i)),
        }),
      );
      await dataSource.getRepository(OrderEntity).save(stored);

      const mine = await sut.listMine(alice);

      expect(mine).toHaveLength(100);
      expect(mine.slice(0, 2).map((order) => [order.id, order.createdAt])).toEqual([
        ['o-100', '2025-01-01T01:40:00.000Z'],
        ['o-099', '2025-01-01T01:39:00.000Z'],
      ]);
      expect(mine.at(-1)?.id).toBe('o-001');
    });
  });
});

describe(toOrderView.name, () => {
  const entity = (patch: Partial<OrderEntity>): OrderEntity =>
    Object.assign(new OrderEntity(), {
      id: 'o-1',
      userId: 'u-alice',
      status: 'PENDING',
      reason: null,
      items: [{ productId: 'p-mouse', quantity: 1 }],
      createdAt: new Date('2025-01-01T10:00:00.000Z'),
      updatedAt: new Date('2025-01-01T10:00:01.000Z'),
      version: 1,
      ...patch,
    });

  it('shows the order without internal columns and with ISO timestamps', () => {
    expect(toOrderView(entity({ correlationId: 'flow-1' }))).toEqual({
      id: 'o-1',
      userId: 'u-alice',
      status: 'PENDING',
      items: [{ productId: 'p-mouse', quantity: 1 }],
      createdAt: '2025-01-01T10:00:00.000Z',
      updatedAt: '2025-01-01T10:00:01.000Z',
    });
  });

  it('includes the reason only when there is one', () => {
    expect(toOrderView(entity({ status: 'REJECTED', reason: 'out of stock' }))).toMatchObject({ status: 'REJECTED', reason: 'out of stock' });
    expect(toOrderView(entity({ status: 'CANCELLED', reason: 'stock reservation timed out after 30000 ms' }))).toMatchObject({
      status: 'CANCELLED',
      reason: 'stock reservation timed out after 30000 ms',
    });
    expect(toOrderView(entity({ reason: null }))).not.toHaveProperty('reason');
  });
});
