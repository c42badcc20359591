import { checkSchemaOnPostgres, checkSchemaOnSqlite } from '@nestkit/database/testing';
import { NOTIFICATIONS_SCHEMA } from './notifications.schema';

describe('notifications schema', () => {
  const names = NOTIFICATIONS_SCHEMA.migrations.map((migration) => migration.name);

  it.each([
    ['SQLite', checkSchemaOnSqlite],
    ['PostgreSQL', checkSchemaOnPostgres],
  ])('migrates a fresh %s database to exactly what the entities describe', async (_dialect, check) => {
    const sut = await check(NOTIFICATIONS_SCHEMA);
    expect(sut.applied).toEqual(names);
    expect(sut.pendingSql).toEqual([]);
  });
});
