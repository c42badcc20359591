import { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { SigningKeyEntity } from './keys/signing-key.entity';
import { SigningKeyStore } from './keys/signing-key.store';
import { SigningKeys } from './keys/signing-keys';
import { LoginThrottle } from './login/login-throttle';
import { LoginThrottledError } from './login/login-throttled.error';
import { FakeClock, testConfig } from './testing/identity-test-kit';
import { identityPostgres } from './testing/postgres-database';
import { RefreshTokenEntity } from './tokens/refresh-token.entity';
import { RefreshTokens } from './tokens/refresh-tokens';
import { UserEntity } from './users/user.entity';

/** The races identity must win on PostgreSQL, where concurrent requests really run in parallel. */
describe('identity on PostgreSQL under concurrency', () => {
  let database: Awaited<ReturnType<typeof identityPostgres>>;
  let dataSource: DataSource;
  let time: FakeClock;

  beforeAll(async () => {
    Logger.overrideLogger(false);
    database = await identityPostgres();
    dataSource = database.dataSource;
    await dataSource.getRepository(UserEntity).insert({ id: 'user-1', email: 'ada@example.com', passwordHash: 'x', roles: 'user' });
  });

  afterAll(() => database?.drop());

  beforeEach(() => {
    time = new FakeClock();
  });

  it('counts parallel login attempts exactly: of 20 at once, LOGIN_MAX_ATTEMPTS_PER_ACCOUNT get through', async () => {
    const sut = new LoginThrottle(dataSource, testConfig({ LOGIN_MAX_ATTEMPTS_PER_ACCOUNT: '4', LOGIN_MAX_ATTEMPTS_PER_IP: '1000' }), time.clock);

    const results = await Promise.allSettled(Array.from({ length: 20 }, () => sut.attempt('race@example.com', '203.0.113.9')));

    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(4);
    expect(results.filter((result) => result.status === 'rejected').every((result) => (result as PromiseRejectedResult).reason instanceof LoginThrottledError)).toBe(true);
  });

  it('lets exactly one of ten parallel refreshes with one token win, and the family ends revoked', async () => {
    const sut = new RefreshTokens(dataSource.getRepository(RefreshTokenEntity), testConfig(), time.clock);
    const token = await sut.issue('user-1');

    const results = await Promise.allSettled(Array.from({ length: 10 }, () => sut.rotate(token)));

    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    const winner = results.find((result) => result.status === 'fulfilled') as PromiseFulfilledResult<{ refreshToken: string }>;
    await expect(sut.rotate(winner.value.refreshToken)).rejects.toMatchObject({ code: 'identity.invalid-refresh-token' });
  });

  it('prunes expired sessions and idle login counters with the same SQL as on SQLite', async () => {
    const tokens = new RefreshTokens(dataSource.getRepository(RefreshTokenEntity), testConfig({ REFRESH_TOKEN_TTL_SEC: '300' }), time.clock);
    const throttle = new LoginThrottle(dataSource, testConfig({ LOGIN_ATTEMPT_WINDOW_SEC: '60' }), time.clock);
    await tokens.issue('user-1');
    await throttle.attempt('prune@example.com', '192.0.2.44');
    time.advance(86_400_000);

    expect(await tokens.pruneExpired()).toBeGreaterThanOrEqual(1);
    expect(await throttle.pruneIdle()).toBeGreaterThanOrEqual(2);
    expect(await tokens.pruneExpired()).toBe(0);
  });

  it('converges replicas that boot at once on an empty key table to one signing key', async () => {
    await dataSource.getRepository(SigningKeyEntity).clear();
    const config = testConfig({ SIGNING_KEY_PUBLISH_LEAD_SEC: '0' });
    const replicas = [1, 2, 3].map(() => new SigningKeys(new SigningKeyStore(dataSource), config, time.clock));

    await Promise.all(replicas.map((replica) => replica.onModuleInit()));
    for (const replica of replicas) await replica.maintain(false);
    for (const replica of replicas) await replica.maintain(false);
    replicas.forEach((replica) => replica.onModuleDestroy());

    const kids = new Set(replicas.map((replica) => replica.signer.kid));
    const states = (await dataSource.getRepository(SigningKeyEntity).find()).map((row) => row.state).filter((state) => state !== 'retiring');
    expect(kids.size).toBe(1);
    expect(states.sort()).toEqual(['active', 'next']);
  });

  it('makes one rotation when replicas are asked to rotate at once; the others answer 409', async () => {
    const config = testConfig({ SIGNING_KEY_PUBLISH_LEAD_SEC: '600' });
    const replicas = [1, 2, 3].map(() => new SigningKeys(new SigningKeyStore(dataSource), config, time.clock));
    for (const replica of replicas) await replica.onModuleInit();
    const before = replicas[0]?.signer.kid;
    time.advance(3_600_000);

    const results = await Promise.allSettled(replicas.map((replica) => replica.rotate()));
    for (const replica of replicas) await replica.maintain(false);
    replicas.forEach((replica) => replica.onModuleDestroy());

    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    expect(results.filter((result) => result.status === 'rejected').map((result) => (result as PromiseRejectedResult).reason.code)).toEqual([
      'identity.next-key-not-ready',
      'identity.next-key-not-ready',
    ]);
    const rows = await dataSource.getRepository(SigningKeyEntity).find();
    expect(rows.filter((row) => row.state === 'active')).toHaveLength(1);
    expect(new Set(replicas.map((replica) => replica.signer.kid)).size).toBe(1);
    expect(replicas[0]?.signer.kid).not.toBe(before);
  });
});
