import { createHash } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { permissionsFor } from '@nestkit/contracts/identity';
import { inMemoryDataSource } from '@nestkit/database/testing';
import { UnauthenticatedError } from '@nestkit/errors';
import type { DataSource } from 'typeorm';
import { IDENTITY_SCHEMA } from '../identity.schema';
import { SigningKeyStore } from '../keys/signing-key.store';
import { SigningKeys } from '../keys/signing-keys';
import { LoginThrottle } from '../login/login-throttle';
import { LoginThrottledError } from '../login/login-throttled.error';
import { FakeClock, testConfig, verifierFor } from '../testing/identity-test-kit';
import { RefreshTokenEntity } from '../tokens/refresh-token.entity';
import { RefreshTokens } from '../tokens/refresh-tokens';
import { PasswordHasher } from './password-hasher';
import { SessionsService } from './sessions.service';
import { UserEntity } from './user.entity';
import { UsersService } from './users.service';

const outcome = (promise: Promise<unknown>) =>
  promise.then(
    () => 'ok',
    (error: unknown) => (error instanceof LoginThrottledError ? `429 ${error.message}` : error instanceof UnauthenticatedError ? `401 ${error.code}` : String(error)),
  );

describe(SessionsService.name, () => {
  const config = testConfig({ LOGIN_MAX_ATTEMPTS_PER_ACCOUNT: '3', LOGIN_MAX_ATTEMPTS_PER_IP: '5', LOGIN_ATTEMPT_WINDOW_SEC: '600', LOGIN_LOCKOUT_SEC: '60' });
  const ada = { email: 'ada@example.com', password: 'correct horse battery' };
  const wrong = { ...ada, password: 'wrong password' };
  const ip = '203.0.113.7';
  let dataSource: DataSource;
  let time: FakeClock;
  let keys: SigningKeys;
  let hasher: PasswordHasher;
  let sut: SessionsService;

  beforeEach(async () => {
    vi.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    vi.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    time = new FakeClock();
    dataSource = await inMemoryDataSource(IDENTITY_SCHEMA);
    keys = new SigningKeys(new SigningKeyStore(dataSource), config, time.clock);
    await keys.onModuleInit();
    hasher = new PasswordHasher();
    const users = dataSource.getRepository(UserEntity);
    const refresh = new RefreshTokens(dataSource.getRepository(RefreshTokenEntity), config, time.clock);
    sut = new SessionsService(users, hasher, new LoginThrottle(dataSource, config, time.clock), keys, refresh);
    await new UsersService(users, hasher, config).register(ada);
  });

  afterEach(async () => {
    keys.onModuleDestroy();
    vi.restoreAllMocks();
    await dataSource.destroy();
  });

  it('logs in with an access token carrying roles, permissions and e-mail, and a refresh token stored only as its hash', async () => {
    const result = await sut.login(ada, ip);

    const principal = await verifierFor(keys, time.clock).verify(result.accessToken);
    expect(principal).toMatchObject({ roles: ['user'], permissions: permissionsFor(['user']), email: ada.email, kind: 'user' });
    expect(result.expiresIn).toBe(120);
    const stored = await dataSource.getRepository(RefreshTokenEntity).find();
    expect(stored).toEqual([expect.objectContaining({ userId: principal.subject, tokenHash: createHash('sha256').update(result.refreshToken).digest('hex') })]);
  });

  it('fails a wrong password and an unknown e-mail identically, both after a full argon2 verification', async () => {
    const verify = vi.spyOn(hasher, 'verifyOrDummy');

    const wrongPassword = await sut.login(wrong, ip).catch((error: unknown) => error);
    const unknownEmail = await sut.login({ ...wrong, email: 'bob@example.com' }, ip).catch((error: unknown) => error);

    expect(wrongPassword).toEqual(unknownEmail);
    expect(wrongPassword).toMatchObject({ code: 'identity.bad-credentials', message: 'e-mail or password is wrong' });
    expect(verify.mock.calls.map(([stored, password]) => [stored === undefined ? 'dummy' : 'stored', password])).toEqual([
      ['stored', 'wrong password'],
      ['dummy', 'wrong password'],
    ]);
  });

  it('locks an account after exactly LOGIN_MAX_ATTEMPTS_PER_ACCOUNT attempts, even for the right password, until the lockout ends', async () => {
    const results = [];
    for (let i = 0; i < 3; i += 1) results.push(await outcome(sut.login(wrong, ip)));
    results.push(await outcome(sut.login(ada, ip)));
    time.advance(59_999);
    results.push(await outcome(sut.login(ada, ip)));
    time.advance(1);
    results.push(await outcome(sut.login(ada, ip)));

    expect(results).toEqual([
      '401 identity.bad-credentials',
      '401 identity.bad-credentials',
      '401 identity.bad-credentials',
      '429 too many login attempts for this account; retry in 60 s',
      '429 too many login attempts for this account; retry in 1 s',
      'ok',
    ]);
  });

  it('throttles an unknown e-mail exactly like a registered one', async () => {
    const sequence = async (email: string) => {
      const seen = [];
      for (let i = 0; i < 4; i += 1) seen.push(await outcome(sut.login({ ...wrong, email }, `198.51.100.${email.length}`)));
      return seen;
    };

    expect(await sequence('nobody@example.com')).toEqual(await sequence(ada.email));
  });

  it('resets the account count on a successful login', async () => {
    await outcome(sut.login(wrong, ip));
    await outcome(sut.login(wrong, ip));
    await sut.login(ada, ip);

    expect([await outcome(sut.login(wrong, ip)), await outcome(sut.login(wrong, ip)), await outcome(sut.login(wrong, ip))]).toEqual(
      Array(3).fill('401 identity.bad-credentials'),
    );
    expect(await outcome(sut.login(ada, ip))).toMatch(/^429/);
  });

  it('throttles an address after LOGIN_MAX_ATTEMPTS_PER_IP failures across e-mails; successes do not count', async () => {
    await sut.login(ada, ip);
    const results = [];
    for (let i = 0; i < 6; i += 1) results.push(await outcome(sut.login({ ...wrong, email: `user${i}@example.com` }, ip)));

    expect(results).toEqual([...Array(5).fill('401 identity.bad-credentials'), '429 too many login attempts from this address; retry in 60 s']);
    expect(await outcome(sut.login(ada, '192.0.2.1'))).toBe('ok');
  });

  it('refreshes with the roles the user holds now', async () => {
    const login = await sut.login(ada, ip);
    await dataSource.getRepository(UserEntity).update({ email: ada.email }, { roles: 'user,admin' });

    const refreshed = await sut.refresh(login.refreshToken);

    expect(await verifierFor(keys, time.clock).verify(refreshed.accessToken)).toMatchObject({ roles: ['user', 'admin'], permissions: permissionsFor(['user', 'admin']) });
    await expect(sut.refresh(login.refreshToken)).rejects.toMatchObject({ code: 'identity.invalid-refresh-token' });
  });
});
