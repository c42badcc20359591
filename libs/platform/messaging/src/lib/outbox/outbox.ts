import { AppError } from '@nestkit/errors';
import type { EntityManager } from 'typeorm';
import type { Envelope } from '../envelope/envelope';
import { OutboxMessage } from './outbox-message.entity';

const INSERT_CHUNK = 500;

/**
 * The write side of the transactional outbox: envelopes are stored in the caller's transaction, next to
 * the state change they announce, and published later by the {@link OutboxRelay}. No dual write.
 */
export class Outbox {
  /**
   * Stores envelopes in the `outbox` table using `manager`, which must belong to an open transaction
   * (`inTransaction(dataSource, manager => ...)` from @nestkit/database), so they commit or roll back with the business write.
   */
  static async enqueue(manager: EntityManager, envelopes: Envelope | readonly Envelope[]): Promise<void> {
    if (!manager.queryRunner?.isTransactionActive) {
      throw new AppError('Outbox.enqueue must run inside a transaction, with its EntityManager', {
        code: 'messaging.outbox-outside-transaction',
        kind: 'internal',
      });
    }
    const batch: readonly Envelope[] = Array.isArray(envelopes) ? envelopes : [envelopes as Envelope];
    if (batch.length === 0) return;
    const now = new Date();
    const rows = batch.map((envelope) => ({
      id: envelope.id,
      type: envelope.type,
      key: envelope.key ?? null,
      envelope: JSON.stringify(envelope),
      createdAt: now,
      publishedAt: null,
      attempts: 0,
      lastError: null,
    }));
    // Chunked, and without TypeORM reading generated columns back: that read-back puts every row in one
    // WHERE clause, which SQLite refuses past ~1,000 terms, and the insert itself is bounded by bind parameters.
    for (let from = 0; from < rows.length; from += INSERT_CHUNK) {
      await manager.createQueryBuilder().insert().into(OutboxMessage).values(rows.slice(from, from + INSERT_CHUNK)).updateEntity(false).execute();
    }
  }
}
