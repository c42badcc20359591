import { inTransaction } from '@nestkit/database';
import { inMemoryDataSource } from '@nestkit/database/testing';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { createEnvelope } from '../envelope/envelope';
import { MESSAGING_ENTITIES, MESSAGING_MIGRATIONS } from '../messaging-schema';
import { Outbox } from './outbox';
import { OutboxMessage } from './outbox-message.entity';

const Placed = { type: 'test.placed', version: 1, schema: z.object({ id: z.string() }) } as const;
const placed = (id: string) => createEnvelope(Placed, { id }, { producer: 'test', key: id });

describe(Outbox.name, () => {
  let dataSource: DataSource;

  beforeEach(async () => {
    dataSource = await inMemoryDataSource({ entities: MESSAGING_ENTITIES, migrations: MESSAGING_MIGRATIONS });
  });
  afterEach(async () => dataSource.destroy());

  it('stores envelopes inside the caller transaction, unpublished', async () => {
    const envelope = placed('o1');
    await inTransaction(dataSource, (manager) => Outbox.enqueue(manager, envelope));
    const rows = await dataSource.getRepository(OutboxMessage).find();
    expect(rows).toEqual([
      expect.objectContaining({ id: envelope.id, type: 'test.placed', key: 'o1', publishedAt: null, attempts: 0, lastError: null }),
    ]);
    expect(JSON.parse(rows[0].envelope)).toEqual(envelope);
    expect(rows[0].createdAt).toBeInstanceOf(Date);
  });

  it('stores a batch of 2,500 envelopes in one transaction', async () => {
    const batch = Array.from({ length: 2_500 }, (_, i) => placed(`o${i}`));
    await inTransaction(dataSource, (manager) => Outbox.enqueue(manager, batch));
    const rows = await dataSource.getRepository(OutboxMessage).find();
    expect(rows.map((row) => row.id).sort()).toEqual(batch.map((envelope) => envelope.id).sort());
  });

  it('leaves no row when the transaction rolls back', async () => {
    const failing = dataSource.transaction(async (manager) => {
      await Outbox.enqueue(manager, [placed('o1'), placed('o2')]);
      throw new Error('business write failed');
    });
    await expect(failing).rejects.toThrow('business write failed');
    expect(await dataSource.getRepository(OutboxMessage).count()).toBe(0);
  });

  it('refuses a manager that is not in a transaction', async () => {
    await expect(Outbox.enqueue(dataSource.manager, placed('o1'))).rejects.toMatchObject({
      code: 'messaging.outbox-outside-transaction',
    });
  });
});
