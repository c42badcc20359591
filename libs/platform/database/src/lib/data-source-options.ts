import type { DataSourceOptions, MixedList, EntitySchema } from 'typeorm';
import { parseDatabaseUrl, prepareSqliteFile } from './database-url';

export interface DatabaseOptions {
  url: string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function | string | EntitySchema>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function | string>;
  /** Longest a single statement may run (PostgreSQL); every remote call has a timeout. */
  statementTimeoutMs?: number;
  /** Longest to wait for a connection (PostgreSQL). */
  connectTimeoutMs?: number;
  poolSize?: number;
}

/**
 * TypeORM options for a `DATABASE_URL`. Migrations run at boot and `synchronize` stays off: the
 * schema only changes through reviewed migrations, on SQLite and PostgreSQL alike.
 */
export function dataSourceOptions(options: DatabaseOptions): DataSourceOptions {
  const target = parseDatabaseUrl(options.url);
  if (!target) {
    throw new Error(`DATABASE_URL "${options.url}" is not sqlite:<file> or postgres://...; fix DATABASE_URL`);
  }
  const common = { entities: options.entities, migrations: options.migrations, migrationsRun: true, synchronize: false };
  if (target.kind === 'sqlite') {
    return {
      ...common,
      type: 'better-sqlite3',
      database: prepareSqliteFile(target.file),
      enableWAL: target.file !== ':memory:',
      // Concurrent writers wait for the lock instead of failing at once; foreign keys are off by default in SQLite.
      prepareDatabase: (db: { pragma(sql: string): unknown }) => {
        db.pragma('busy_timeout = 5000');
        db.pragma('foreign_keys = ON');
      },
    };
  }
  const statementTimeout = options.statementTimeoutMs ?? 10_000;
  return {
    ...common,
    type: 'postgres',
    url: target.url,
    poolSize: options.poolSize ?? 10,
    connectTimeoutMS: options.connectTimeoutMs ?? 5_000,
    extra: { statement_timeout: statementTimeout, query_timeout: statementTimeout + 1_000 },
  };
}
