import { inMemoryDataSource } from '@nestkit/database/testing';
import { DataSource, type EntityManager } from 'typeorm';
import { z } from 'zod';
import { createEnvelope } from '../envelope/envelope';
import { MESSAGING_ENTITIES, MESSAGING_MIGRATIONS } from '../messaging-schema';
import { Outbox } from '../outbox/outbox';
import { OutboxMessage } from '../outbox/outbox-message.entity';
import { Inbox } from './inbox';
import { InboxMessage } from './inbox-message.entity';

const Placed = { type: 'test.placed', version: 1, schema: z.object({ n: z.number() }) } as const;

describe(Inbox.name, () => {
  let dataSource: DataSource;
  const envelope = createEnvelope(Placed, { n: 1 }, { producer: 'test' });
  // The effect writes through the transaction's manager; an outbox row stands in for business state.
  const effect = async (manager: EntityManager) => Outbox.enqueue(manager, createEnvelope(Placed, { n: 2 }, { producer: 'test' }));
  const effects = () => dataSource.getRepository(OutboxMessage).count();

  beforeEach(async () => {
    dataSource = await inMemoryDataSource({ entities: MESSAGING_ENTITIES, migrations: MESSAGING_MIGRATIONS });
  });
  afterEach(async () => dataSource.destroy());

  it('runs the effect once and ignores a redelivery of the same envelope', async () => {
    expect(await Inbox.handleOnce(dataSource, 'catalog.reserve', envelope, effect)).toBe(true);
    expect(await Inbox.handleOnce(dataSource, 'catalog.reserve', { ...envelope }, effect)).toBe(false);
    expect(await effects()).toBe(1);
    expect(await dataSource.getRepository(InboxMessage).find()).toEqual([
      expect.objectContaining({ consumer: 'catalog.reserve', messageId: envelope.id, handledAt: expect.any(Date) }),
    ]);
  });

  it('dedupes per consumer, so two consumers each handle the message', async () => {
    expect(await Inbox.handleOnce(dataSource, 'a', envelope, effect)).toBe(true);
    expect(await Inbox.handleOnce(dataSource, 'b', envelope, effect)).toBe(true);
    expect(await effects()).toBe(2);
  });

  it('records nothing when the effect fails, so a retry runs it again', async () => {
    const failing = async (manager: EntityManager) => {
      await effect(manager);
      throw new Error('effect failed');
    };
    await expect(Inbox.handleOnce(dataSource, 'c', envelope, failing)).rejects.toThrow('effect failed');
    expect(await dataSource.getRepository(InboxMessage).count()).toBe(0);
    expect(await effects()).toBe(0);
    expect(await Inbox.handleOnce(dataSource, 'c', envelope, effect)).toBe(true);
  });
});
