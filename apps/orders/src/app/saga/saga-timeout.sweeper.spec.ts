import { Logger } from '@nestjs/common';
import { StockReserved } from '@nestkit/contracts/catalog';
import type { OrderStatus } from '@nestkit/contracts/orders';
import { inMemoryDataSource } from '@nestkit/database/testing';
import { createEnvelope, type Envelope, InMemoryBus, OutboxMessage } from '@nestkit/messaging';
import { DataSource } from 'typeorm';
import { OrderEntity } from '../orders/order.entity';
import { ORDERS_SCHEMA } from '../orders.schema';
import { OrderSaga } from './order.saga';
import type { SagaConfig } from './saga.config';
import { SagaTimeoutSweeper } from './saga-timeout.sweeper';

const CONFIG: SagaConfig = { SAGA_TIMEOUT_MS: 1_000, SAGA_SWEEP_MS: 100 };
const NOW = new Date('2025-06-01T12:00:00.000Z');
const ITEMS = [{ productId: 'p-keyboard', quantity: 2 }];
const REASON = 'stock reservation timed out after 1000 ms';

describe(SagaTimeoutSweeper.name, () => {
  let dataSource: DataSource;
  let sut: SagaTimeoutSweeper;

  const ago = (ms: number, from = NOW) => new Date(from.getTime() - ms);
  const place = (id: string, createdAt: Date, status: OrderStatus = 'PENDING', correlationId: string | null = `flow-${id}`) =>
    dataSource.getRepository(OrderEntity).save(
      Object.assign(new OrderEntity(), { id, userId: 'u-alice', status, reason: null, items: ITEMS, correlationId, createdAt, updatedAt: createdAt }),
    );
  const statuses = async () =>
    Object.fromEntries((await dataSource.getRepository(OrderEntity).find({ order: { id: 'ASC' } })).map((o) => [o.id, o.status]));
  const order = (id: string) => dataSource.getRepository(OrderEntity).findOneByOrFail({ id });
  const outbox = async () =>
    (await dataSource.getRepository(OutboxMessage).find({ order: { createdAt: 'ASC' } })).map((row) => JSON.parse(row.envelope) as Envelope);

  // Cancels are logged; the database is what these tests assert.
  beforeAll(() => Logger.overrideLogger(false));

  beforeEach(async () => {
    dataSource = await inMemoryDataSource(ORDERS_SCHEMA);
    sut = new SagaTimeoutSweeper(dataSource, CONFIG, { service: 'orders' });
  });
  afterEach(async () => {
    await sut.stop();
    vi.useRealTimers();
    await dataSource.destroy();
  });

  describe('sweep', () => {
    it('cancels a PENDING order placed more than SAGA_TIMEOUT_MS ago and enqueues orders.order-cancelled in its flow', async () => {
      await place('o-late', ago(1_001));

      expect(await sut.sweep(NOW)).toEqual(['o-late']);

      const cancelled = await order('o-late');
      expect(cancelled).toMatchObject({ status: 'CANCELLED', reason: REASON, version: 2 });
      expect(cancelled.updatedAt.getTime()).toBeGreaterThan(cancelled.createdAt.getTime());
      expect(await outbox()).toEqual([
        expect.objectContaining({
          type: 'orders.order-cancelled',
          producer: 'orders',
          key: 'o-late',
          correlationId: 'flow-o-late',
          payload: { orderId: 'o-late', userId: 'u-alice', reason: REASON },
        }),
      ]);
    });

    it('leaves orders placed SAGA_TIMEOUT_MS ago or less PENDING', async () => {
      await place('o-exact', ago(1_000));
      await place('o-young', ago(10));

      expect(await sut.sweep(NOW)).toEqual([]);

      expect(await statuses()).toEqual({ 'o-exact': 'PENDING', 'o-young': 'PENDING' });
      expect(await outbox()).toEqual([]);
    });

    it('never touches a settled order, however old', async () => {
      await place('o-confirmed', ago(60_000), 'CONFIRMED');
      await place('o-rejected', ago(60_000), 'REJECTED');

      expect(await sut.sweep(NOW)).toEqual([]);

      expect(await statuses()).toEqual({ 'o-confirmed': 'CONFIRMED', 'o-rejected': 'REJECTED' });
      expect(await outbox()).toEqual([]);
    });

    it('cancels an order once: the next pass finds nothing to do', async () => {
      await place('o-late', ago(5_000));

      await sut.sweep(NOW);
      expect(await sut.sweep(ago(-1_000))).toEqual([]);

      expect((await outbox()).map((e) => e.type)).toEqual(['orders.order-cancelled']);
    });

    it('cancels at most BATCH_SIZE orders per pass, oldest first, and the rest on the next pass', async () => {
      const count = SagaTimeoutSweeper.BATCH_SIZE + 1;
      for (let i = 0; i < count; i += 1) await place(`o-${String(i).padStart(3, '0')}`, ago(100_000 - i));

      const first = await sut.sweep(NOW);
      const second = await sut.sweep(NOW);

      expect(first).toHaveLength(SagaTimeoutSweeper.BATCH_SIZE);
      expect(first[0]).toBe('o-000');
      expect(second).toEqual([`o-${count - 1}`]);
      expect(await outbox()).toHaveLength(count);
    });

    it('starts a new flow for the cancel of an order placed before correlation ids were recorded', async () => {
      await place('o-legacy', ago(2_000), 'PENDING', null);

      await sut.sweep(NOW);

      const [event] = await outbox();
      expect(event.correlationId).toBe(event.id);
    });

    it('cancels nothing and enqueues nothing when the event cannot be stored', async () => {
      await place('o-late', ago(2_000));
      await dataSource.query('ALTER TABLE outbox RENAME TO outbox_away');

      await expect(sut.sweep(NOW)).rejects.toThrow(/outbox/);

      expect(await statuses()).toEqual({ 'o-late': 'PENDING' });
    });
  });

  describe('racing catalog for the same order', () => {
    let bus: InMemoryBus;
    let saga: OrderSaga;
    const reserved = (orderId: string) => createEnvelope(StockReserved, { orderId, items: ITEMS }, { producer: 'catalog', key: orderId });
    const answer = async (envelope: Envelope) => {
      await bus.publish(envelope);
      await bus.idle();
    };

    beforeEach(() => {
      bus = new InMemoryBus();
      saga = new OrderSaga(dataSource, bus, { service: 'orders' });
      saga.onModuleInit();
    });
    afterEach(async () => {
      await saga.onModuleDestroy();
      await bus.close();
    });

    it.each([
      ['the answer starts first', (id: string) => [answer(reserved(id)), sut.sweep(NOW)]],
      ['the sweep starts first', (id: string) => [sut.sweep(NOW), answer(reserved(id))]],
    ])('ends in exactly one final state with its one event when %s', async (_, race) => {
      await place('o-raced', ago(1_500));

      await Promise.all(race('o-raced'));

      const { status } = await order('o-raced');
      const expected = { CONFIRMED: 'orders.order-confirmed', CANCELLED: 'orders.order-cancelled' } as Record<string, string>;
      expect(Object.keys(expected)).toContain(status);
      expect((await outbox()).map((e) => e.type)).toEqual([expected[status]]);
      expect(bus.deadLetters()).toEqual([]);
    });

    it('keeps a cancelled order CANCELLED when stock-reserved arrives late, and confirms nothing', async () => {
      await place('o-late', ago(1_500));
      await sut.sweep(NOW);

      await answer(reserved('o-late'));

      expect(await order('o-late')).toMatchObject({ status: 'CANCELLED', reason: REASON });
      expect((await outbox()).map((e) => e.type)).toEqual(['orders.order-cancelled']);
      expect(bus.deadLetters()).toEqual([]);
    });

    it('does not cancel an order catalog confirmed just before the sweep', async () => {
      await place('o-answered', ago(1_500));
      await answer(reserved('o-answered'));

      expect(await sut.sweep(NOW)).toEqual([]);

      expect(await order('o-answered')).toMatchObject({ status: 'CONFIRMED', reason: null });
      expect((await outbox()).map((e) => e.type)).toEqual(['orders.order-confirmed']);
    });
  });

  describe('on its timer', () => {
    // Only the timers: a faked Date would stop TypeORM from recognising its own date columns.
    beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] }));
    const overdue = (id: string) => place(id, ago(60_000, new Date()));

    it('first sweeps SAGA_TIMEOUT_MS after bootstrap, then SAGA_SWEEP_MS after each pass, until shutdown', async () => {
      await overdue('o-1');
      sut.onApplicationBootstrap();

      await vi.advanceTimersByTimeAsync(999);
      expect(await statuses()).toEqual({ 'o-1': 'PENDING' });
      await vi.advanceTimersByTimeAsync(1);
      expect(await statuses()).toEqual({ 'o-1': 'CANCELLED' });

      await overdue('o-2');
      await vi.advanceTimersByTimeAsync(99);
      expect((await statuses())['o-2']).toBe('PENDING');
      await vi.advanceTimersByTimeAsync(1);
      expect((await statuses())['o-2']).toBe('CANCELLED');

      await sut.beforeApplicationShutdown();
      await overdue('o-3');
      await vi.advanceTimersByTimeAsync(10_000);
      expect((await statuses())['o-3']).toBe('PENDING');
    });

    it('keeps sweeping after a pass fails', async () => {
      await overdue('o-1');
      await dataSource.query('ALTER TABLE outbox RENAME TO outbox_away');
      sut.start();

      await vi.advanceTimersByTimeAsync(1_000);
      expect(await statuses()).toEqual({ 'o-1': 'PENDING' });

      await dataSource.query('ALTER TABLE outbox_away RENAME TO outbox');
      await vi.advanceTimersByTimeAsync(100);
      expect(await statuses()).toEqual({ 'o-1': 'CANCELLED' });
      expect((await outbox()).map((e) => e.type)).toEqual(['orders.order-cancelled']);
    });
  });

  it('refuses to be built without its settings, naming them and the fix', () => {
    expect(() => new SagaTimeoutSweeper(dataSource, {} as SagaConfig, { service: 'orders' })).toThrow(
      'SAGA_TIMEOUT_MS and SAGA_SWEEP_MS are missing from the orders config; spread sagaConfigSchema.shape into its schema',
    );
  });
});
