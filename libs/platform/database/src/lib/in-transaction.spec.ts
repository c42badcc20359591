import { DataSource, EntitySchema } from 'typeorm';
import { inTransaction } from './in-transaction';

const Row = new EntitySchema<{ id: number; label: string }>({
  name: 'row',
  columns: { id: { type: Number, primary: true }, label: { type: String } },
});

describe(inTransaction.name, () => {
  let sut: DataSource;

  beforeEach(async () => {
    sut = new DataSource({ type: 'better-sqlite3', database: ':memory:', entities: [Row], synchronize: true });
    await sut.initialize();
  });

  afterEach(async () => {
    await sut.destroy();
  });

  it('keeps overlapping transactions apart: a rollback in one does not undo the other', async () => {
    const failing = inTransaction(sut, async (manager) => {
      await manager.insert(Row, { id: 1, label: 'doomed' });
      await new Promise((resolve) => setTimeout(resolve, 20));
      throw new Error('boom');
    });
    const succeeding = inTransaction(sut, async (manager) => {
      await manager.insert(Row, { id: 2, label: 'kept' });
    });
    await expect(failing).rejects.toThrow('boom');
    await succeeding;
    const rows = await sut.getRepository(Row).find({ order: { id: 'ASC' } });
    expect(rows).toEqual([{ id: 2, label: 'kept' }]);
  });

  it('returns the work result', async () => {
    await expect(inTransaction(sut, async () => 42)).resolves.toBe(42);
  });
});
