import { type DataSource, EntitySchema, type MigrationInterface, type QueryRunner, Table } from 'typeorm';
import { dialectColumns } from './dialect-columns';
import { pruneRows } from './prune-rows';
import { inMemoryDataSource } from './testing/in-memory-data-source';
import { postgresDataSource } from './testing/postgres-data-source';

interface Handled {
  consumer: string;
  messageId: string;
  handledAt: Date | null;
}

// A composite primary key and a nullable date, as the inbox and outbox have.
const HandledEntity = new EntitySchema<Handled>({
  name: 'handled',
  tableName: 'handled',
  columns: {
    consumer: { type: 'varchar', length: 50, primary: true },
    messageId: { name: 'message_id', type: 'varchar', length: 50, primary: true },
    handledAt: { name: 'handled_at', type: Date, nullable: true },
  },
});

class CreateHandled1700000000000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    const { timestamp } = dialectColumns(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'handled',
        columns: [
          { name: 'consumer', type: 'varchar', length: '50', isPrimary: true },
          { name: 'message_id', type: 'varchar', length: '50', isPrimary: true },
          { name: 'handled_at', type: timestamp, isNullable: true },
        ],
      }),
    );
  }
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('handled');
  }
}

const SCHEMA = { entities: [HandledEntity], migrations: [CreateHandled1700000000000] };
const CUTOFF = new Date('2030-01-08T00:00:00.000Z');

describe.each([
  ['SQLite', async () => ({ dataSource: await inMemoryDataSource(SCHEMA), drop: (ds: DataSource) => ds.destroy() })],
  [
    'PostgreSQL',
    async () => {
      const postgres = await postgresDataSource('prune', SCHEMA);
      return { dataSource: postgres.dataSource, drop: () => postgres.drop() };
    },
  ],
])(`${pruneRows.name} on %s`, (_dialect, open) => {
  let dataSource: DataSource;
  let drop: (ds: DataSource) => Promise<void>;

  beforeEach(async () => {
    ({ dataSource, drop } = await open());
  });
  afterEach(async () => drop(dataSource));

  const seed = (rows: Handled[]) => dataSource.getRepository(HandledEntity).insert(rows);
  const left = async () => (await dataSource.getRepository(HandledEntity).find({ order: { consumer: 'ASC', messageId: 'ASC' } })).map((r) => `${r.consumer}/${r.messageId}`);

  it('deletes exactly the rows before the cutoff, composite keys and millisecond edges included, and keeps NULLs', async () => {
    await seed([
      { consumer: 'a', messageId: '1', handledAt: new Date(CUTOFF.getTime() - 86_400_000) },
      { consumer: 'a', messageId: '2', handledAt: new Date(CUTOFF.getTime() - 1) },
      { consumer: 'b', messageId: '1', handledAt: CUTOFF },
      { consumer: 'b', messageId: '2', handledAt: new Date(CUTOFF.getTime() + 1) },
      { consumer: 'b', messageId: '3', handledAt: null },
    ]);

    expect(await pruneRows(dataSource, HandledEntity, { column: 'handledAt', before: CUTOFF })).toBe(2);
    expect(await left()).toEqual(['b/1', 'b/2', 'b/3']);
    expect(await pruneRows(dataSource, HandledEntity, { column: 'handledAt', before: CUTOFF })).toBe(0);
  });

  it('works through a backlog a batch at a time, oldest first, and stops after maxBatches', async () => {
    const old = Array.from({ length: 25 }, (_, i) => ({ consumer: 'c', messageId: String(i).padStart(2, '0'), handledAt: new Date(CUTOFF.getTime() - 60_000 * (25 - i)) }));
    await seed(old);

    expect(await pruneRows(dataSource, HandledEntity, { column: 'handledAt', before: CUTOFF, batchSize: 10, maxBatches: 2 })).toBe(20);
    expect(await left()).toEqual(['c/20', 'c/21', 'c/22', 'c/23', 'c/24']);
    expect(await pruneRows(dataSource, HandledEntity, { column: 'handledAt', before: CUTOFF, batchSize: 10 })).toBe(5);
    expect(await left()).toEqual([]);
  });

  it('names a property the entity does not have', async () => {
    await expect(pruneRows(dataSource, HandledEntity, { column: 'handled' as 'handledAt', before: CUTOFF })).rejects.toThrow(
      'pruneRows: handled has no property "handled"; name a date property of the entity',
    );
  });
});
