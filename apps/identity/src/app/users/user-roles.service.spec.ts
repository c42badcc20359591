import { Logger } from '@nestjs/common';
import type { Principal } from '@nestkit/auth';
import { permissionsFor } from '@nestkit/contracts/identity';
import { inMemoryDataSource } from '@nestkit/database/testing';
import type { DataSource } from 'typeorm';
import { IDENTITY_SCHEMA } from '../identity.schema';
import { UserEntity } from './user.entity';
import { UserRolesService } from './user-roles.service';

describe(UserRolesService.name, () => {
  const admin: Principal = { subject: 'admin-1', roles: ['user', 'admin'], tokenId: 't', kind: 'user' };
  let dataSource: DataSource;
  let sut: UserRolesService;
  const users = () => dataSource.getRepository(UserEntity);

  beforeEach(async () => {
    vi.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    dataSource = await inMemoryDataSource(IDENTITY_SCHEMA);
    await users().insert([
      { id: 'admin-1', email: 'boss@example.com', passwordHash: 'x', roles: 'user,admin' },
      { id: 'u-1', email: 'ada@example.com', passwordHash: 'x', roles: 'user' },
    ]);
    sut = new UserRolesService(users());
  });

  afterEach(async () => {
    vi.restoreAllMocks();
    await dataSource.destroy();
  });

  it('grants a role idempotently and answers with the roles and permissions after the change', async () => {
    await sut.grant('u-1', 'admin', admin);
    const result = await sut.grant('u-1', 'admin', admin);

    expect(result).toEqual({ userId: 'u-1', roles: ['user', 'admin'], permissions: permissionsFor(['user', 'admin']) });
    expect(await users().findOneBy({ id: 'u-1' })).toMatchObject({ roles: 'user,admin' });
  });

  it('revokes a role idempotently', async () => {
    await sut.revoke('admin-1', 'user', { ...admin, subject: 'someone-else' });

    expect(await sut.revoke('admin-1', 'user', { ...admin, subject: 'someone-else' })).toMatchObject({ roles: ['admin'] });
  });

  it('refuses an admin revoking their own admin role, and an unknown user', async () => {
    await expect(sut.revoke('admin-1', 'admin', admin)).rejects.toMatchObject({ kind: 'conflict', code: 'identity.cannot-revoke-own-admin' });
    await expect(sut.grant('nope', 'admin', admin)).rejects.toMatchObject({ kind: 'not-found', code: 'identity.user-not-found' });
  });
});
