import { checkSchemaOnPostgres, checkSchemaOnSqlite } from '@nestkit/database/testing';
import { IDENTITY_SCHEMA } from './identity.schema';

describe('identity schema', () => {
  const names = IDENTITY_SCHEMA.migrations.map((migration) => migration.name);

  it.each([
    ['SQLite', checkSchemaOnSqlite],
    ['PostgreSQL', checkSchemaOnPostgres],
  ])('migrates a fresh %s database to exactly what the entities describe', async (_dialect, check) => {
    const sut = await check(IDENTITY_SCHEMA);
    expect(sut.applied).toEqual(names);
    expect(sut.pendingSql).toEqual([]);
  });
});
