import { Logger } from '@nestjs/common';
import { StockReserved } from '@nestkit/contracts/catalog';
import { postgresDataSource, type TemporaryPostgres } from '@nestkit/database/testing';
import { createEnvelope, type Envelope, InMemoryBus, OutboxMessage } from '@nestkit/messaging';
import { waitFor } from '@nestkit/testing';
import type { DataSource, QueryRunner } from 'typeorm';
import { OrderEntity } from '../orders/order.entity';
import { ORDERS_SCHEMA } from '../orders.schema';
import { OrderSaga } from './order.saga';
import { SagaTimeoutSweeper } from './saga-timeout.sweeper';

const ITEMS = [{ productId: 'p-keyboard', quantity: 2 }];

/**
 * Catalog's answer and the saga timeout racing for one order on PostgreSQL, where they really run in
 * parallel. A test transaction holds the order's row lock while both queue up behind it in a chosen
 * order; whichever commits first must win alone, the other matching no row.
 */
describe(`${SagaTimeoutSweeper.name} racing ${OrderSaga.name} on PostgreSQL`, () => {
  let postgres: TemporaryPostgres;
  let dataSource: DataSource;
  let bus: InMemoryBus;
  let saga: OrderSaga;
  let sut: SagaTimeoutSweeper;
  let blocker: QueryRunner;

  const waitingOnLocks = async (count: number) => {
    const rows = (await dataSource.query(
      "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
    )) as { n: number }[];
    return rows[0].n === count;
  };
  const queued = (count: number, what: string) => waitFor(() => waitingOnLocks(count), { what, timeoutMs: 10_000, intervalMs: 20 });
  const outboxTypes = async () => (await dataSource.getRepository(OutboxMessage).find()).map((row) => (JSON.parse(row.envelope) as Envelope).type);
  const stockReserved = () => createEnvelope(StockReserved, { orderId: 'o-raced', items: ITEMS }, { producer: 'catalog', key: 'o-raced' });

  beforeAll(async () => {
    Logger.overrideLogger(false);
    postgres = await postgresDataSource('orders_race', ORDERS_SCHEMA);
    dataSource = postgres.dataSource;
  });
  afterAll(async () => {
    await postgres?.drop();
  });

  beforeEach(async () => {
    await dataSource.query('TRUNCATE orders, outbox, inbox');
    const placedAt = new Date(Date.now() - 60_000);
    await dataSource.getRepository(OrderEntity).save(
      Object.assign(new OrderEntity(), { id: 'o-raced', userId: 'u-alice', status: 'PENDING', reason: null, items: ITEMS, correlationId: null, createdAt: placedAt, updatedAt: placedAt }),
    );
    bus = new InMemoryBus();
    saga = new OrderSaga(dataSource, bus, { service: 'orders' });
    saga.onModuleInit();
    sut = new SagaTimeoutSweeper(dataSource, { SAGA_TIMEOUT_MS: 1_000, SAGA_SWEEP_MS: 100 }, { service: 'orders' });
    blocker = dataSource.createQueryRunner();
    await blocker.startTransaction();
    await blocker.query("SELECT id FROM orders WHERE id = 'o-raced' FOR UPDATE");
  });
  afterEach(async () => {
    if (blocker.isTransactionActive) await blocker.rollbackTransaction();
    await blocker.release();
    await saga.onModuleDestroy();
    await bus.close();
  });

  it('cancels alone when the timeout takes the row first: the waiting stock-reserved then confirms nothing', async () => {
    const sweep = sut.sweep();
    await queued(1, 'the sweeper to wait for the row');
    await bus.publish(stockReserved());
    await queued(2, 'the saga to wait behind the sweeper');

    await blocker.commitTransaction();
    const cancelled = await sweep;
    await bus.idle();

    expect(cancelled).toEqual(['o-raced']);
    expect(await dataSource.getRepository(OrderEntity).findOneByOrFail({ id: 'o-raced' })).toMatchObject({ status: 'CANCELLED', version: 2 });
    expect(await outboxTypes()).toEqual(['orders.order-cancelled']);
    expect(bus.deadLetters()).toEqual([]);
  });

  it('confirms alone when stock-reserved takes the row first: the waiting sweep then cancels nothing', async () => {
    await bus.publish(stockReserved());
    await queued(1, 'the saga to wait for the row');
    const sweep = sut.sweep();
    await queued(2, 'the sweeper to wait behind the saga');

    await blocker.commitTransaction();
    await bus.idle();

    expect(await sweep).toEqual([]);
    expect(await dataSource.getRepository(OrderEntity).findOneByOrFail({ id: 'o-raced' })).toMatchObject({ status: 'CONFIRMED', version: 2 });
    expect(await outboxTypes()).toEqual(['orders.order-confirmed']);
  });
});
