import type { DataSource, EntityManager } from 'typeorm';

const sqliteQueues = new WeakMap<DataSource, Promise<unknown>>();

/**
 * Runs `work` in one database transaction and returns its result; a throw rolls everything back.
 *
 * Use this instead of `dataSource.transaction()`. TypeORM's SQLite drivers share one connection, so two
 * overlapping `transaction()` calls silently nest (the second becomes a SAVEPOINT inside the first, and
 * commits or rolls back with it). On SQLite this queues transactions one after another; on PostgreSQL
 * each runs on its own pooled connection, as usual.
 */
export function inTransaction<T>(dataSource: DataSource, work: (manager: EntityManager) => Promise<T>): Promise<T> {
  const type = dataSource.options.type;
  if (type !== 'better-sqlite3') {
    return dataSource.transaction(work);
  }
  const previous = sqliteQueues.get(dataSource) ?? Promise.resolve();
  const run = previous.then(
    () => dataSource.transaction(work),
    () => dataSource.transaction(work),
  );
  // The queue continues after a failed transaction; callers still see their own failure.
  sqliteQueues.set(dataSource, run.catch(() => undefined));
  return run;
}
