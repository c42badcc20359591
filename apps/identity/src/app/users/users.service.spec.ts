import { Logger } from '@nestjs/common';
import { inMemoryDataSource } from '@nestkit/database/testing';
import { ConflictError } from '@nestkit/errors';
import type { DataSource } from 'typeorm';
import { IDENTITY_SCHEMA } from '../identity.schema';
import { testConfig } from '../testing/identity-test-kit';
import { PasswordHasher } from './password-hasher';
import { UserEntity } from './user.entity';
import { UsersService } from './users.service';

describe(UsersService.name, () => {
  const ada = { email: 'ada@example.com', password: 'correct horse battery' };
  let dataSource: DataSource;
  let logged: ReturnType<typeof vi.spyOn>;

  const users = () => dataSource.getRepository(UserEntity);
  const service = (env: Record<string, string> = {}) => new UsersService(users(), new PasswordHasher(), testConfig(env));

  beforeEach(async () => {
    logged = vi.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    dataSource = await inMemoryDataSource(IDENTITY_SCHEMA);
  });

  afterEach(async () => {
    vi.restoreAllMocks();
    await dataSource.destroy();
  });

  it('stores the user with an argon2id hash, never the password, and returns its id and e-mail', async () => {
    const result = await service().register(ada);

    expect(result).toEqual({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), email: ada.email });
    const stored = await users().find();
    expect(stored).toEqual([expect.objectContaining({ id: result.id, email: ada.email, roles: 'user' })]);
    expect(stored[0]?.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
    expect(JSON.stringify(stored)).not.toContain(ada.password);
  });

  it('logs the new user id but not the e-mail', async () => {
    const { id } = await service().register(ada);

    expect(logged).toHaveBeenCalledExactlyOnceWith({ userId: id }, 'user registered');
  });

  it('refuses a second account for the same e-mail with identity.email-taken', async () => {
    const sut = service();
    const first = await sut.register(ada);

    const second = sut.register({ ...ada, password: 'another password' });

    await expect(second).rejects.toBeInstanceOf(ConflictError);
    await expect(second).rejects.toMatchObject({ code: 'identity.email-taken', kind: 'conflict' });
    expect(await users().find({ select: { id: true } })).toEqual([{ id: first.id }]);
  });

  it('lets exactly one of two concurrent registrations of one e-mail succeed', async () => {
    const sut = service();
    const results = await Promise.allSettled([sut.register(ada), sut.register({ ...ada, password: 'another password' })]);

    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.filter((r) => r.status === 'rejected');
    expect(rejected).toHaveLength(1);
    expect(rejected[0]?.reason).toMatchObject({ code: 'identity.email-taken' });
    expect(await users().count()).toBe(1);
  });

  describe('with BOOTSTRAP_ADMIN_EMAIL', () => {
    const env = { BOOTSTRAP_ADMIN_EMAIL: 'Root@Example.com' };

    it('makes that account admin when it registers while no admin exists', async () => {
      await service(env).register({ email: 'root@example.com', password: 'correct horse battery' });
      await service(env).register(ada);

      expect((await users().find({ order: { email: 'ASC' } })).map((user) => [user.email, user.roles])).toEqual([
        ['ada@example.com', 'user'],
        ['root@example.com', 'user,admin'],
      ]);
    });

    it('grants nothing at registration once an admin exists', async () => {
      await users().insert({ id: 'admin-1', email: 'boss@example.com', passwordHash: 'x', roles: 'user,admin' });

      await service(env).register({ email: 'root@example.com', password: 'correct horse battery' });

      expect(await users().findOneBy({ email: 'root@example.com' })).toMatchObject({ roles: 'user' });
    });
  });
});
