import { Logger } from '@nestjs/common';
import { inMemoryDataSource } from '@nestkit/database/testing';
import type { DataSource } from 'typeorm';
import { IDENTITY_SCHEMA } from '../identity.schema';
import { testConfig } from '../testing/identity-test-kit';
import { BootstrapAdmin } from './bootstrap-admin';
import { UserEntity } from './user.entity';

describe(BootstrapAdmin.name, () => {
  let dataSource: DataSource;
  const users = () => dataSource.getRepository(UserEntity);

  beforeEach(async () => {
    vi.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    vi.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    dataSource = await inMemoryDataSource(IDENTITY_SCHEMA);
    await users().insert({ id: 'u-1', email: 'root@example.com', passwordHash: 'x', roles: 'user' });
  });

  afterEach(async () => {
    vi.restoreAllMocks();
    await dataSource.destroy();
  });

  it('makes the existing account admin at startup, once', async () => {
    const sut = new BootstrapAdmin(users(), testConfig({ BOOTSTRAP_ADMIN_EMAIL: 'root@example.com' }));

    await sut.onApplicationBootstrap();
    await sut.onApplicationBootstrap();

    expect(await users().findOneBy({ id: 'u-1' })).toMatchObject({ roles: 'user,admin' });
  });

  it('changes nothing without the setting or without the account', async () => {
    await new BootstrapAdmin(users(), testConfig()).onApplicationBootstrap();
    await new BootstrapAdmin(users(), testConfig({ BOOTSTRAP_ADMIN_EMAIL: 'nobody@example.com' })).onApplicationBootstrap();

    expect(await users().find({ select: { roles: true } })).toEqual([{ roles: 'user' }]);
  });
});
