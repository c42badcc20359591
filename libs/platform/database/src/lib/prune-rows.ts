import type { DataSource, EntityTarget, ObjectLiteral } from 'typeorm';
import { inTransaction } from './in-transaction';

/** Which rows {@link pruneRows} deletes, and how many at a time. */
export interface PruneOptions<E extends ObjectLiteral> {
  /** A date property of the entity; rows whose value is before `before` go. Rows where it is NULL stay. */
  readonly column: keyof E & string;
  readonly before: Date;
  /** Rows per transaction, so a large backlog never holds one long lock. Default 500. */
  readonly batchSize?: number;
  /** At most this many batches per call; the rest waits for the next call. Default 100. */
  readonly maxBatches?: number;
}

/**
 * Deletes the rows of `entity` whose `column` is before `before`, a batch per transaction, and resolves
 * with how many went. Written with TypeORM's query builder and the entity's primary key (composite keys
 * too), so it runs unchanged on SQLite and PostgreSQL. For retention of tables that only grow: outbox,
 * inbox, tombstones.
 */
export async function pruneRows<E extends ObjectLiteral>(dataSource: DataSource, entity: EntityTarget<E>, options: PruneOptions<E>): Promise<number> {
  const batchSize = options.batchSize ?? 500;
  const maxBatches = options.maxBatches ?? 100;
  const metadata = dataSource.getMetadata(entity);
  const column = metadata.findColumnWithPropertyName(options.column);
  if (!column) throw new TypeError(`pruneRows: ${metadata.name} has no property "${options.column}"; name a date property of the entity`);
  const keys = metadata.primaryColumns.map((key) => key.propertyName);
  let deleted = 0;
  for (let batch = 0; batch < maxBatches; batch += 1) {
    const gone = await inTransaction(dataSource, async (manager) => {
      const rows = await manager
        .createQueryBuilder(entity, 'row')
        .select(keys.map((key) => `row.${key}`))
        .where(`row.${column.propertyName} < :before`, { before: options.before })
        .orderBy(`row.${column.propertyName}`, 'ASC')
        .take(batchSize)
        .getMany();
      if (rows.length === 0) return 0;
      const ids = rows.map((row) => Object.fromEntries(keys.map((key) => [key, row[key]])));
      await manager.delete(entity, ids);
      return rows.length;
    });
    deleted += gone;
    if (gone < batchSize) break;
  }
  return deleted;
}
