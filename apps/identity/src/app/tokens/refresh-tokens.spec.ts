import { inMemoryDataSource } from '@nestkit/database/testing';
import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import { identityConfigSchema } from '../identity.config';
import { UserEntity } from '../users/user.entity';
import { RefreshTokenEntity } from './refresh-token.entity';
import { RefreshTokens } from './refresh-tokens';
import { IDENTITY_SCHEMA } from '../identity.schema';

describe(RefreshTokens.name, () => {
  const config = identityConfigSchema.parse({ DATABASE_URL: 'sqlite::memory:', REFRESH_TOKEN_TTL_SEC: '3600' });
  const now = new Date('2026-01-02T03:04:05.000Z');
  let dataSource: DataSource;
  let sut: RefreshTokens;

  beforeEach(async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(now);
    dataSource = await inMemoryDataSource(IDENTITY_SCHEMA);
    await dataSource.getRepository(UserEntity).insert({ id: 'user-1', email: 'ada@example.com', passwordHash: 'x', roles: 'user' });
    sut = new RefreshTokens(dataSource.getRepository(RefreshTokenEntity), config);
  });

  afterEach(async () => {
    vi.useRealTimers();
    await dataSource.destroy();
  });

  it('returns a 256-bit opaque token and stores only its SHA-256 hash with the configured expiry', async () => {
    const token = await sut.issue('user-1');

    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    const rows = await dataSource.getRepository(RefreshTokenEntity).find();
    expect(rows).toEqual([
      expect.objectContaining({
        userId: 'user-1',
        tokenHash: createHash('sha256').update(token).digest('hex'),
      }),
    ]);
    expect(Number(rows[0]?.expiresAt)).toBe(now.getTime() + 3_600_000);
    expect(JSON.stringify(rows)).not.toContain(token);
  });

  it('issues a different token on every call', async () => {
    const first = await sut.issue('user-1');
    const second = await sut.issue('user-1');

    expect(second).not.toBe(first);
    expect(await dataSource.getRepository(RefreshTokenEntity).countBy({ userId: 'user-1' })).toBe(2);
  });
});
