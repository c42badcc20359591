import type { DataSource } from 'typeorm';
import type { DatabaseOptions } from '../data-source-options';
import { inMemoryDataSource } from './in-memory-data-source';
import { postgresDataSource } from './postgres-data-source';

type SchemaOptions = Pick<DatabaseOptions, 'entities' | 'migrations'>;

/** What running a service's migrations on a fresh database left behind. */
export interface SchemaCheck {
  /** Migrations applied, in order. */
  applied: string[];
  /** SQL TypeORM would still run to match the entities: empty when migrations and entities agree. */
  pendingSql: string[];
}

async function inspect(dataSource: DataSource): Promise<SchemaCheck> {
  try {
    const applied = (await dataSource.query('SELECT name FROM migrations ORDER BY id')) as { name: string }[];
    const pending = await dataSource.driver.createSchemaBuilder().log();
    return { applied: applied.map((row) => row.name), pendingSql: pending.upQueries.map((q) => q.query) };
  } finally {
    await dataSource.destroy();
  }
}

/** Runs migrations on a fresh in-memory SQLite database and compares the result with the entities. */
export async function checkSchemaOnSqlite(options: SchemaOptions): Promise<SchemaCheck> {
  return inspect(await inMemoryDataSource(options));
}

/**
 * Runs migrations on a fresh PostgreSQL database (created for the call on the server from
 * `infraUrls().postgresUrl`, dropped afterwards) and compares the result with the entities.
 */
export async function checkSchemaOnPostgres(options: SchemaOptions): Promise<SchemaCheck> {
  const postgres = await postgresDataSource('schema', options);
  try {
    return await inspect(postgres.dataSource);
  } finally {
    await postgres.drop();
  }
}

/**
 * The schema conformance spec every service runs (as an `*.int.spec.ts`, since it needs PostgreSQL):
 * its migrations, in order, build exactly what its entities describe, on SQLite and on PostgreSQL.
 */
export function describeSchema(service: string, schema: SchemaOptions & { migrations: { name: string }[] }): void {
  describe(`${service} schema`, () => {
    const names = schema.migrations.map((migration) => migration.name);

    it.each([
      ['SQLite', checkSchemaOnSqlite],
      ['PostgreSQL', checkSchemaOnPostgres],
    ])('migrates a fresh %s database to exactly what the entities describe', async (_dialect, check) => {
      const sut = await check(schema);
      expect(sut.applied).toEqual(names);
      expect(sut.pendingSql).toEqual([]);
    });
  });
}
