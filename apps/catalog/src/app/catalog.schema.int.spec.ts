import { checkSchemaOnPostgres, checkSchemaOnSqlite } from '@nestkit/database/testing';
import { CATALOG_SCHEMA } from './catalog.schema';

describe('catalog schema', () => {
  const names = CATALOG_SCHEMA.migrations.map((migration) => migration.name);

  it.each([
    ['SQLite', checkSchemaOnSqlite],
    ['PostgreSQL', checkSchemaOnPostgres],
  ])('migrates a fresh %s database to exactly what the entities describe', async (_dialect, check) => {
    const sut = await check(CATALOG_SCHEMA);
    expect(sut.applied).toEqual(names);
    expect(sut.pendingSql).toEqual([]);
  });
});
