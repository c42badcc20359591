import { DataSource } from 'typeorm';
import { MESSAGING_ENTITIES, MESSAGING_MIGRATIONS } from '../messaging-schema';
import { CreateOutboxTable1732500000000 } from './create-outbox-table.migration';

describe(CreateOutboxTable1732500000000.name, () => {
  let dataSource: DataSource;

  beforeEach(async () => {
    dataSource = new DataSource({ type: 'better-sqlite3', database: ':memory:', entities: MESSAGING_ENTITIES, migrations: MESSAGING_MIGRATIONS });
    await dataSource.initialize();
  });
  afterEach(async () => dataSource.destroy());

  it('creates outbox and inbox tables that match the entities exactly', async () => {
    await dataSource.runMigrations();
    const pending = await dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((q) => q.query)).toEqual([]);
    const outbox = await dataSource.createQueryRunner().getTable('outbox');
    expect(outbox?.indices.map((i) => i.name)).toEqual(['IDX_outbox_published_at']);
    const inbox = await dataSource.createQueryRunner().getTable('inbox');
    expect(inbox?.primaryColumns.map((c) => c.name)).toEqual(['consumer', 'message_id']);
    expect(inbox?.indices.map((i) => i.name)).toEqual(['IDX_inbox_handled_at']);
  });

  it('reverts cleanly, one migration at a time', async () => {
    await dataSource.runMigrations();
    await dataSource.undoLastMigration();
    expect((await dataSource.createQueryRunner().getTable('inbox'))?.indices).toEqual([]);
    await dataSource.undoLastMigration();
    await dataSource.undoLastMigration();
    const runner = dataSource.createQueryRunner();
    expect(await runner.hasTable('outbox')).toBe(false);
    expect(await runner.hasTable('inbox')).toBe(false);
    await runner.release();
  });
});
