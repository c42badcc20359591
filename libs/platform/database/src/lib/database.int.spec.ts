import { infraUrls, uniqueName } from '@nestkit/testing';
import { Client } from 'pg';
import { DataSource, EntitySchema, type MigrationInterface, type QueryRunner, Table } from 'typeorm';
import { dataSourceOptions } from './data-source-options';
import { inTransaction } from './in-transaction';

const Note = new EntitySchema<{ id: string; body: string }>({
  name: 'note',
  tableName: 'notes',
  columns: { id: { type: 'varchar', primary: true, length: 36 }, body: { type: 'varchar', length: 200 } },
});

class CreateNotes1700000000000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({ name: 'notes', columns: [{ name: 'id', type: 'varchar', length: '36', isPrimary: true }, { name: 'body', type: 'varchar', length: '200' }] }),
    );
  }
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('notes');
  }
}

async function admin<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: infraUrls().postgresUrl, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

describe('DatabaseModule on PostgreSQL', () => {
  const database = uniqueName('db').replace(/-/g, '_');
  let sut: DataSource;

  beforeAll(async () => {
    await admin((client) => client.query(`CREATE DATABASE ${database}`));
    const url = new URL(infraUrls().postgresUrl);
    url.pathname = `/${database}`;
    sut = new DataSource(dataSourceOptions({ url: url.toString(), entities: [Note], migrations: [CreateNotes1700000000000], statementTimeoutMs: 300 }));
    await sut.initialize();
  });

  afterAll(async () => {
    await sut?.destroy();
    await admin((client) => client.query(`DROP DATABASE IF EXISTS ${database}`));
  });

  it('ran the dialect-neutral migration at initialisation', async () => {
    const applied = await sut.query('SELECT name FROM migrations');
    expect(applied.map((row: { name: string }) => row.name)).toEqual(['CreateNotes1700000000000']);
  });

  it('commits together or not at all', async () => {
    await inTransaction(sut, async (manager) => {
      await manager.insert(Note, { id: 'a', body: 'kept' });
    });
    await expect(
      inTransaction(sut, async (manager) => {
        await manager.insert(Note, { id: 'b', body: 'doomed' });
        await manager.insert(Note, { id: 'a', body: 'duplicate key' });
      }),
    ).rejects.toThrow(/duplicate key/);
    const rows = await sut.getRepository(Note).find({ order: { id: 'ASC' } });
    expect(rows).toEqual([{ id: 'a', body: 'kept' }]);
  });

  it('applies the statement timeout', async () => {
    await expect(sut.query('SELECT pg_sleep(2)')).rejects.toThrow(/statement timeout|canceling statement/);
  });
});
