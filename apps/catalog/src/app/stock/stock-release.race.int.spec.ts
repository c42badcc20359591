import { Logger } from '@nestjs/common';
import { OrderCancelled, type OrderCancelledPayload, OrderPlaced, type OrderPlacedPayload } from '@nestkit/contracts/orders';
import { postgresDataSource, type TemporaryPostgres } from '@nestkit/database/testing';
import { createEnvelope, type Envelope, InMemoryBus, OutboxMessage } from '@nestkit/messaging';
import { waitFor } from '@nestkit/testing';
import type { DataSource } from 'typeorm';
import { CATALOG_SCHEMA } from '../catalog.schema';
import { ProductEntity } from '../products/product.entity';
import { StockReleaseHandler } from './stock-release.handler';
import { StockReservationEntity } from './stock-reservation.entity';
import { StockReservationHandler } from './stock-reservation.handler';

/** Runs a handler as the subscriber would deliver its message: again after a failure, up to 3 times. Resolves with the failures. */
async function delivered(attempt: () => Promise<void>): Promise<unknown[]> {
  const failures: unknown[] = [];
  while (failures.length < 3) {
    try {
      await attempt();
      return failures;
    } catch (error) {
      failures.push(error);
    }
  }
  throw new Error(`still failing after 3 deliveries: ${failures.map(String).join('; ')}`);
}

/**
 * An order's reservation and its cancel handled at the same time on PostgreSQL, where the two consumer
 * groups really run in parallel: the reservation row's primary key decides, and the message that loses
 * is redelivered and sees the winner, so stock is never held for a cancelled order.
 */
describe(`${StockReservationHandler.name} racing ${StockReleaseHandler.name} on PostgreSQL`, () => {
  let postgres: TemporaryPostgres;
  let dataSource: DataSource;
  let bus: InMemoryBus;
  let reservations: StockReservationHandler;
  let releases: StockReleaseHandler;

  const items = [{ productId: 'p-keyboard', quantity: 2 }];
  const place = (envelope: Envelope<OrderPlacedPayload>) => reservations.handle(envelope.payload, envelope);
  const cancel = (envelope: Envelope<OrderCancelledPayload>) => releases.handle(envelope.payload, envelope);
  const placed = (orderId: string) => createEnvelope(OrderPlaced, { orderId, userId: 'u-alice', items }, { producer: 'orders', key: orderId });
  const cancelled = (orderId: string) =>
    createEnvelope(OrderCancelled, { orderId, userId: 'u-alice', reason: 'stock reservation timed out after 30000 ms' }, { producer: 'orders', key: orderId });
  const keyboards = async () => (await dataSource.getRepository(ProductEntity).findOneByOrFail({ id: 'p-keyboard' })).stock;
  const answers = async (orderId: string) =>
    (await dataSource.getRepository(OutboxMessage).find({ where: { key: orderId }, order: { createdAt: 'ASC' } })).map((row) => row.type);
  const reservation = (orderId: string) => dataSource.getRepository(StockReservationEntity).findOneByOrFail({ orderId });
  const waitingOnLocks = async () =>
    ((await dataSource.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'")) as { n: number }[])[0].n;

  beforeAll(async () => {
    Logger.overrideLogger(false);
    postgres = await postgresDataSource('catalog_race', CATALOG_SCHEMA);
    dataSource = postgres.dataSource;
    bus = new InMemoryBus();
    reservations = new StockReservationHandler(dataSource, bus, { service: 'catalog' });
    releases = new StockReleaseHandler(dataSource, bus, { service: 'catalog' });
  });
  afterAll(async () => {
    await bus?.close();
    await postgres?.drop();
  });

  it('refuses a reservation whose cancel committed while it waited for the stock', async () => {
    const before = await keyboards();
    // Holds the product row, so the reservation stops after finding no tombstone and before inserting its own row.
    const blocker = dataSource.createQueryRunner();
    await blocker.startTransaction();
    await blocker.query("SELECT id FROM products WHERE id = 'p-keyboard' FOR UPDATE");
    const reservation1 = delivered(() => place(placed('order-a')));
    await waitFor(async () => (await waitingOnLocks()) === 1, { what: 'the reservation to wait for the product row', timeoutMs: 10_000, intervalMs: 20 });

    await cancel(cancelled('order-a'));
    await blocker.commitTransaction();
    await blocker.release();
    const failures = await reservation1;

    expect(failures).toEqual([expect.objectContaining({ message: expect.stringMatching(/duplicate key/) })]);
    expect(await reservation('order-a')).toMatchObject({ status: 'CANCELLED' });
    expect(await answers('order-a')).toEqual(['catalog.stock-rejected']);
    expect(await keyboards()).toBe(before);
  });

  it('holds no stock for an order whose reservation and cancel arrive together, whichever commits first', async () => {
    const before = await keyboards();
    const orders = Array.from({ length: 10 }, (_, i) => `order-together-${i}`);

    await Promise.all(orders.flatMap((orderId) => [delivered(() => place(placed(orderId))), delivered(() => cancel(cancelled(orderId)))]));

    for (const orderId of orders) {
      const { status } = await reservation(orderId);
      const expected = { RELEASED: ['catalog.stock-reserved', 'catalog.stock-released'], CANCELLED: ['catalog.stock-rejected'] } as Record<string, string[]>;
      expect(Object.keys(expected)).toContain(status);
      expect(await answers(orderId)).toEqual(expected[status]);
    }
    expect(await keyboards()).toBe(before);
  });
});
