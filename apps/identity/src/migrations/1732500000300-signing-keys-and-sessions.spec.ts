import { dataSourceOptions } from '@nestkit/database';
import { DataSource } from 'typeorm';
import { CreateUsers1732500000200 } from './1732500000200-create-users';
import { SigningKeysAndSessions1732500000300 } from './1732500000300-signing-keys-and-sessions';

describe(SigningKeysAndSessions1732500000300.name, () => {
  let dataSource: DataSource;

  beforeEach(async () => {
    dataSource = new DataSource(dataSourceOptions({ url: 'sqlite::memory:', entities: [], migrations: [CreateUsers1732500000200] }));
    await dataSource.initialize();
  });

  afterEach(() => dataSource.destroy());

  it('upgrades a database with live sessions: each existing refresh token becomes its own family, unspent and unrevoked', async () => {
    await dataSource.query(`INSERT INTO users (id, email, password_hash, roles) VALUES ('u-1', 'ada@example.com', 'x', 'user')`);
    await dataSource.query(`INSERT INTO refresh_tokens (id, user_id, token_hash, expires_at) VALUES ('t-1', 'u-1', 'h1', 1), ('t-2', 'u-1', 'h2', 2)`);
    const runner = dataSource.createQueryRunner();

    await new SigningKeysAndSessions1732500000300().up(runner);

    expect(await dataSource.query('SELECT id, family_id, used_at, revoked_at FROM refresh_tokens ORDER BY id')).toEqual([
      { id: 't-1', family_id: 't-1', used_at: null, revoked_at: null },
      { id: 't-2', family_id: 't-2', used_at: null, revoked_at: null },
    ]);
    await new SigningKeysAndSessions1732500000300().down(runner);
    expect((await dataSource.query('SELECT * FROM refresh_tokens ORDER BY id')).map((row: { id: string }) => row.id)).toEqual(['t-1', 't-2']);
    await runner.release();
  });
});
