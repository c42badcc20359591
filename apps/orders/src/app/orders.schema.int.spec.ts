import { checkSchemaOnPostgres, checkSchemaOnSqlite } from '@nestkit/database/testing';
import { ORDERS_SCHEMA } from './orders.schema';

describe('orders schema', () => {
  const names = ORDERS_SCHEMA.migrations.map((migration) => migration.name);

  it.each([
    ['SQLite', checkSchemaOnSqlite],
    ['PostgreSQL', checkSchemaOnPostgres],
  ])('migrates a fresh %s database to exactly what the entities describe', async (_dialect, check) => {
    const sut = await check(ORDERS_SCHEMA);
    expect(sut.applied).toEqual(names);
    expect(sut.pendingSql).toEqual([]);
  });
});
