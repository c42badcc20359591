import { inMemoryDataSource } from '@nestkit/database/testing';
import { createHash } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { JwtTokenVerifier } from '@nestkit/auth';
import { ConflictError, UnauthenticatedError } from '@nestkit/errors';
import { DataSource } from 'typeorm';
import { identityConfigSchema } from '../identity.config';
import { RefreshTokenEntity } from '../tokens/refresh-token.entity';
import { RefreshTokens } from '../tokens/refresh-tokens';
import { SigningKeys } from '../tokens/signing-keys';
import { UserEntity } from './user.entity';
import { UsersService } from './users.service';
import { IDENTITY_SCHEMA } from '../identity.schema';

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

describe(UsersService.name, () => {
  const config = identityConfigSchema.parse({
    DATABASE_URL: 'sqlite::memory:',
    AUTH_ISSUER: 'test-issuer',
    AUTH_AUDIENCE: 'test-audience',
    ACCESS_TOKEN_TTL_SEC: '120',
  });
  const ada = { email: 'ada@example.com', password: 'correct horse battery' };
  let dataSource: DataSource;
  let keys: SigningKeys;
  let sut: UsersService;
  let logged: ReturnType<typeof vi.spyOn>;

  const users = () => dataSource.getRepository(UserEntity);
  const refreshTokens = () => dataSource.getRepository(RefreshTokenEntity);

  beforeEach(async () => {
    logged = vi.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    dataSource = await inMemoryDataSource(IDENTITY_SCHEMA);
    keys = new SigningKeys(config);
    await keys.onModuleInit();
    sut = new UsersService(users(), keys, new RefreshTokens(refreshTokens(), config));
  });

  afterEach(async () => {
    vi.restoreAllMocks();
    await dataSource.destroy();
  });

  describe('register', () => {
    it('stores the user with an argon2id hash, never the password, and returns its id and e-mail', async () => {
      const result = await sut.register(ada);

      expect(result).toEqual({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), email: ada.email });
      const stored = await users().find();
      expect(stored).toEqual([expect.objectContaining({ id: result.id, email: ada.email, roles: 'user' })]);
      expect(stored[0]?.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
      expect(JSON.stringify(stored)).not.toContain(ada.password);
    });

    it('logs the new user id but not the e-mail', async () => {
      const { id } = await sut.register(ada);

      expect(logged).toHaveBeenCalledExactlyOnceWith({ userId: id }, 'user registered');
    });

    it('refuses a second account for the same e-mail with identity.email-taken', async () => {
      const first = await sut.register(ada);

      const second = sut.register({ ...ada, password: 'another password' });

      await expect(second).rejects.toBeInstanceOf(ConflictError);
      await expect(second).rejects.toMatchObject({ code: 'identity.email-taken', kind: 'conflict' });
      expect(await users().find({ select: { id: true } })).toEqual([{ id: first.id }]);
    });

    it('lets exactly one of two concurrent registrations of one e-mail succeed', async () => {
      const results = await Promise.allSettled([sut.register(ada), sut.register({ ...ada, password: 'another password' })]);

      const fulfilled = results.filter((r) => r.status === 'fulfilled');
      const rejected = results.filter((r) => r.status === 'rejected');
      expect(fulfilled).toHaveLength(1);
      expect(rejected).toHaveLength(1);
      expect(rejected[0]?.reason).toBeInstanceOf(ConflictError);
      expect(rejected[0]?.reason).toMatchObject({ code: 'identity.email-taken' });
      expect(await users().count()).toBe(1);
    });
  });

  describe('login', () => {
    it('returns an access token for the user, a refresh token stored only as its hash, and the access lifetime', async () => {
      const { id } = await sut.register(ada);

      const result = await sut.login(ada);

      const verifier = JwtTokenVerifier.fromKeySet(keys.jwks(), { issuer: 'test-issuer', audience: 'test-audience' });
      expect(await verifier.verify(result.accessToken)).toMatchObject({ subject: id, roles: ['user'], email: ada.email, kind: 'user' });
      expect(result.expiresIn).toBe(120);
      const stored = await refreshTokens().find();
      expect(stored).toEqual([expect.objectContaining({ userId: id, tokenHash: sha256(result.refreshToken) })]);
      expect(JSON.stringify(stored)).not.toContain(result.refreshToken);
    });

    it('fails a wrong password and an unknown e-mail with the same code and message', async () => {
      await sut.register(ada);

      const wrongPassword = await sut.login({ ...ada, password: 'wrong password' }).catch((error: unknown) => error);
      const unknownEmail = await sut.login({ ...ada, email: 'bob@example.com' }).catch((error: unknown) => error);

      for (const error of [wrongPassword, unknownEmail]) {
        expect(error).toBeInstanceOf(UnauthenticatedError);
        expect(error).toMatchObject({ code: 'identity.bad-credentials', message: 'e-mail or password is wrong' });
      }
      expect(await refreshTokens().count()).toBe(0);
    });
  });
});
