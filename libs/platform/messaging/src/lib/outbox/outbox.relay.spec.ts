import { inTransaction } from '@nestkit/database';
import { inMemoryDataSource } from '@nestkit/database/testing';
import { metricValue, platformMetrics } from '@nestkit/metrics';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { createEnvelope, type Envelope } from '../envelope/envelope';
import { MESSAGING_ENTITIES, MESSAGING_MIGRATIONS } from '../messaging-schema';
import { RecordingPublisher } from '../testing/recording.publisher';
import { Outbox } from './outbox';
import { OutboxMessage } from './outbox-message.entity';
import { OutboxRelay } from './outbox.relay';

const Placed = { type: 'test.placed', version: 1, schema: z.object({ n: z.number() }) } as const;
const placed = (n: number) => createEnvelope(Placed, { n }, { producer: 'test' });

describe(OutboxRelay.name, () => {
  let dataSource: DataSource;
  let publisher: RecordingPublisher;
  let sut: OutboxRelay;

  const enqueue = (...envelopes: Envelope[]) => inTransaction(dataSource, (manager) => Outbox.enqueue(manager, envelopes));
  const rows = () => dataSource.getRepository(OutboxMessage).find({ order: { createdAt: 'ASC', id: 'ASC' } });

  beforeEach(async () => {
    dataSource = await inMemoryDataSource({ entities: MESSAGING_ENTITIES, migrations: MESSAGING_MIGRATIONS });
    publisher = new RecordingPublisher();
    sut = new OutboxRelay(dataSource, publisher, { batchSize: 2 });
  });
  afterEach(async () => {
    await sut.stop();
    vi.useRealTimers();
    await dataSource.destroy();
  });

  it('publishes unpublished rows in created order, in batches, then marks them published', async () => {
    const envelopes = [placed(1), placed(2), placed(3)];
    await enqueue(...envelopes);
    expect(await sut.flush()).toBe(3);
    expect(publisher.published).toEqual(envelopes);
    expect(publisher.calls).toBe(2);
    expect((await rows()).every((row) => row.publishedAt instanceof Date)).toBe(true);
    expect(await sut.flush()).toBe(0);
    expect(publisher.calls).toBe(2);
  });

  it('shows the unpublished backlog and the age of its oldest row as gauges while the broker refuses', async () => {
    sut = new OutboxRelay(dataSource, publisher.failNext(1_000), { intervalMs: 60_000 });
    await enqueue(placed(1), placed(2), placed(3));
    sut.start();
    await sut.flush();
    await new Promise((done) => setTimeout(done, 120));
    expect(await metricValue(platformMetrics.registry, 'nestkit_outbox_backlog')).toBe(3);
    expect(await metricValue(platformMetrics.registry, 'nestkit_outbox_oldest_age_seconds')).toBeGreaterThanOrEqual(0.1);
    expect(await sut.backlog()).toMatchObject({ rows: 3 });
    await sut.stop();
    // A stopped relay is no longer read.
    expect(await metricValue(platformMetrics.registry, 'nestkit_outbox_backlog')).toBe(0);
  });

  it('records a failed publish on the rows and publishes them on the next pass', async () => {
    const onError = vi.fn();
    sut = new OutboxRelay(dataSource, publisher.failNext(1), { onError });
    const envelope = placed(1);
    await enqueue(envelope);

    expect(await sut.flush()).toBe(0);
    expect(await rows()).toEqual([expect.objectContaining({ publishedAt: null, attempts: 1, lastError: 'publish failed (RecordingPublisher)' })]);
    expect(onError).toHaveBeenCalledTimes(1);

    expect(await sut.flush()).toBe(1);
    expect(publisher.published).toEqual([envelope]);
    expect(await rows()).toEqual([expect.objectContaining({ attempts: 1, publishedAt: expect.any(Date) })]);
  });

  it('polls every intervalMs once started, and stops after the pass in flight', async () => {
    // Only the timers: a faked Date would stop TypeORM from recognising its own date columns.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    sut = new OutboxRelay(dataSource, publisher, { intervalMs: 200 });
    sut.start();
    await vi.advanceTimersByTimeAsync(0);
    await enqueue(placed(1));
    await vi.advanceTimersByTimeAsync(199);
    expect(publisher.published).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    await sut.stop();
    expect(publisher.types()).toEqual(['test.placed']);

    await enqueue(placed(2));
    await vi.advanceTimersByTimeAsync(1000);
    expect(publisher.published).toHaveLength(1);
  });

  it('keeps polling after a pass fails', async () => {
    // Only the timers: a faked Date would stop TypeORM from recognising its own date columns.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const onError = vi.fn();
    sut = new OutboxRelay(dataSource, publisher.failNext(2), { intervalMs: 100, onError });
    await enqueue(placed(1));
    sut.start();
    await vi.advanceTimersByTimeAsync(0);
    await vi.advanceTimersByTimeAsync(100);
    expect(onError).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(100);
    await sut.stop();
    expect(publisher.published).toHaveLength(1);
    expect(await rows()).toEqual([expect.objectContaining({ attempts: 2, publishedAt: expect.any(Date) })]);
  });
});
