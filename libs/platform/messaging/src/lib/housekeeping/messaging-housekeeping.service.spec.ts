import { Logger } from '@nestjs/common';
import { inMemoryDataSource } from '@nestkit/database/testing';
import type { DataSource } from 'typeorm';
import { AddInboxHandledAtIndex1732500000002 } from '../inbox/add-inbox-handled-at-index.migration';
import { CreateInboxTable1732500000001 } from '../inbox/create-inbox-table.migration';
import { InboxMessage } from '../inbox/inbox-message.entity';
import { MESSAGING_ENTITIES, MESSAGING_MIGRATIONS } from '../messaging-schema';
import { OutboxMessage } from '../outbox/outbox-message.entity';
import { MessagingHousekeeping } from './messaging-housekeeping.service';

const HOUR = 3_600_000;
const NOW = new Date('2030-03-01T12:00:00.000Z');
const ago = (ms: number) => new Date(NOW.getTime() - ms);
/** Lets a pass the fake clock started finish its database work (setImmediate is not faked; vi.waitFor would move the clock). */
const settle = async () => {
  for (let i = 0; i < 200; i += 1) await new Promise((resolve) => setImmediate(resolve));
};

describe(MessagingHousekeeping.name, () => {
  let dataSource: DataSource;

  beforeAll(() => Logger.overrideLogger(false));

  beforeEach(async () => {
    dataSource = await inMemoryDataSource({ entities: MESSAGING_ENTITIES, migrations: MESSAGING_MIGRATIONS });
    const outbox = (id: string, createdAt: Date, publishedAt: Date | null) =>
      Object.assign(new OutboxMessage(), { id, type: 't', key: null, envelope: '{}', createdAt, publishedAt, attempts: 0, lastError: null });
    await dataSource.getRepository(OutboxMessage).insert([
      outbox('published-long-ago', ago(30 * HOUR), ago(25 * HOUR)),
      outbox('published-just-inside', ago(30 * HOUR), ago(24 * HOUR - 1)),
      outbox('never-published', ago(100 * HOUR), null),
    ]);
    await dataSource.getRepository(InboxMessage).insert([
      { consumer: 'catalog.stock-reservation', messageId: 'm-old', handledAt: ago(24 * HOUR + 1) },
      { consumer: 'orders.order-saga', messageId: 'm-old', handledAt: ago(48 * HOUR) },
      { consumer: 'catalog.stock-reservation', messageId: 'm-recent', handledAt: ago(HOUR) },
    ]);
  });

  afterEach(async () => {
    vi.useRealTimers();
    await dataSource.destroy();
  });

  const outboxIds = async () => (await dataSource.getRepository(OutboxMessage).find({ order: { id: 'ASC' } })).map((r) => r.id);
  const inboxIds = async () => (await dataSource.getRepository(InboxMessage).find({ order: { consumer: 'ASC' } })).map((r) => `${r.consumer}/${r.messageId}`);

  it('deletes published outbox rows and inbox ids older than the retention, and never an unpublished row', async () => {
    const sut = new MessagingHousekeeping(dataSource, { service: 'orders', retentionMs: 24 * HOUR });

    expect(await sut.prune(NOW)).toEqual({ outbox: 1, inbox: 2 });
    expect(await outboxIds()).toEqual(['never-published', 'published-just-inside']);
    expect(await inboxIds()).toEqual(['catalog.stock-reservation/m-recent']);
    expect(await sut.prune(NOW)).toEqual({ outbox: 0, inbox: 0 });
  });

  it('keeps 7 days by default', async () => {
    const sut = new MessagingHousekeeping(dataSource, { service: 'orders' });

    expect(await sut.prune(new Date(NOW.getTime() + 6 * 24 * HOUR))).toEqual({ outbox: 1, inbox: 2 });
    expect(await outboxIds()).toEqual(['never-published', 'published-just-inside']);
  });

  it('prunes the service’s own retention tasks after the outbox and inbox, adding up rows per table', async () => {
    const sut = new MessagingHousekeeping(dataSource, { service: 'orders', retentionMs: 24 * HOUR }, [{ entity: OutboxMessage, column: 'createdAt' }]);

    expect(await sut.prune(NOW)).toEqual({ outbox: 3, inbox: 2 });
    expect(await outboxIds()).toEqual([]);
  });

  it('prunes only the message tables a service has, e.g. the inbox of a pure consumer', async () => {
    const consumerOnly = await inMemoryDataSource({ entities: [InboxMessage], migrations: [CreateInboxTable1732500000001, AddInboxHandledAtIndex1732500000002] });
    await consumerOnly.getRepository(InboxMessage).insert({ consumer: 'notifications.order-events', messageId: 'm-old', handledAt: ago(48 * HOUR) });
    const sut = new MessagingHousekeeping(consumerOnly, { service: 'notifications', retentionMs: 24 * HOUR });

    expect(await sut.prune(NOW)).toEqual({ inbox: 1 });
    await consumerOnly.destroy();
  });

  it('runs first a minute after bootstrap, then hourly, and not after shutdown', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'], now: NOW });
    const sut = new MessagingHousekeeping(dataSource, { service: 'orders', retentionMs: 24 * HOUR });
    sut.onApplicationBootstrap();

    await vi.advanceTimersByTimeAsync(59_999);
    expect(await outboxIds()).toHaveLength(3);
    await vi.advanceTimersByTimeAsync(1);
    await settle();
    expect(await outboxIds()).toEqual(['never-published']);

    // Inside the retention at the first run (NOW + 1 min), outside it at the next (NOW + 61 min).
    const row = Object.assign(new OutboxMessage(), { id: 'ages-out', type: 't', key: null, envelope: '{}', createdAt: ago(25 * HOUR), publishedAt: ago(24 * HOUR - 30 * 60_000), attempts: 0, lastError: null });
    await dataSource.getRepository(OutboxMessage).insert(row);
    await vi.advanceTimersByTimeAsync(HOUR - 1);
    expect(await outboxIds()).toEqual(['ages-out', 'never-published']);
    await vi.advanceTimersByTimeAsync(1);
    await settle();
    expect(await outboxIds()).toEqual(['never-published']);

    await sut.beforeApplicationShutdown();
    await dataSource.getRepository(InboxMessage).insert({ consumer: 'c', messageId: 'm-late', handledAt: ago(1_000 * HOUR) });
    await vi.advanceTimersByTimeAsync(3 * HOUR);
    expect(await inboxIds()).toContain('c/m-late');
  });
});
