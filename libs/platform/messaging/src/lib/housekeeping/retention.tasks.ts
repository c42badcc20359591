import { pruneRows } from '@nestkit/database';
import type { DataSource, EntityTarget, ObjectLiteral } from 'typeorm';
import { InboxMessage } from '../inbox/inbox-message.entity';
import { OutboxMessage } from '../outbox/outbox-message.entity';

/** A table that only grows unless pruned: rows of `entity` whose date property `column` is older than the retention go. */
export interface RetentionTask<E extends ObjectLiteral = ObjectLiteral> {
  readonly entity: EntityTarget<E>;
  readonly column: keyof E & string;
}

/**
 * Injection token for a service's own {@link RetentionTask}s, pruned with its outbox and inbox by
 * {@link MessagingHousekeeping}: `{ provide: RETENTION_TASKS, useValue: [{ entity: StockReservationEntity, column: 'updatedAt' }] }`.
 */
export const RETENTION_TASKS = Symbol.for('nestkit.messaging.retention-tasks');

/** Published outbox rows (unpublished ones have no `publishedAt` and always stay) and handled inbox ids. */
export const MESSAGE_TABLE_RETENTION: readonly RetentionTask[] = [
  { entity: OutboxMessage, column: 'publishedAt' } satisfies RetentionTask<OutboxMessage>,
  { entity: InboxMessage, column: 'handledAt' } satisfies RetentionTask<InboxMessage>,
];

/** Runs each task for rows before `before`, one after another; resolves with the rows deleted per table. */
export async function pruneExpired(dataSource: DataSource, tasks: readonly RetentionTask[], before: Date): Promise<Record<string, number>> {
  const deleted: Record<string, number> = {};
  for (const task of tasks) {
    const table = dataSource.getMetadata(task.entity).tableName;
    deleted[table] = (deleted[table] ?? 0) + (await pruneRows(dataSource, task.entity, { column: task.column, before }));
  }
  return deleted;
}
