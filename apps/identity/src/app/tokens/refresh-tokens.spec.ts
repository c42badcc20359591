import { createHash } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { inMemoryDataSource } from '@nestkit/database/testing';
import { UnauthenticatedError } from '@nestkit/errors';
import type { DataSource } from 'typeorm';
import { IDENTITY_SCHEMA } from '../identity.schema';
import { FakeClock, testConfig } from '../testing/identity-test-kit';
import { UserEntity } from '../users/user.entity';
import { RefreshTokenEntity } from './refresh-token.entity';
import { RefreshTokens } from './refresh-tokens';

describe(RefreshTokens.name, () => {
  const config = testConfig({ REFRESH_TOKEN_TTL_SEC: '3600' });
  const refused = new UnauthenticatedError('refresh token is invalid, expired or revoked', 'identity.invalid-refresh-token');
  let dataSource: DataSource;
  let time: FakeClock;
  let sut: RefreshTokens;
  const rows = () => dataSource.getRepository(RefreshTokenEntity).find({ order: { createdAt: 'ASC' } });

  beforeEach(async () => {
    vi.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    time = new FakeClock();
    dataSource = await inMemoryDataSource(IDENTITY_SCHEMA);
    await dataSource.getRepository(UserEntity).insert({ id: 'user-1', email: 'ada@example.com', passwordHash: 'x', roles: 'user' });
    sut = new RefreshTokens(dataSource.getRepository(RefreshTokenEntity), config, time.clock);
  });

  afterEach(async () => {
    vi.restoreAllMocks();
    await dataSource.destroy();
  });

  it('returns a 256-bit opaque token and stores only its SHA-256 hash with the configured expiry, in a new family', async () => {
    const token = await sut.issue('user-1');

    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    const [row] = await rows();
    expect(row).toMatchObject({ userId: 'user-1', tokenHash: createHash('sha256').update(token).digest('hex'), familyId: row?.id, usedAt: null, revokedAt: null });
    expect(Number(row?.expiresAt)).toBe(time.now.getTime() + 3_600_000);
    expect(JSON.stringify(await rows())).not.toContain(token);
  });

  it('issues a different token and family on every login', async () => {
    const first = await sut.issue('user-1');
    const second = await sut.issue('user-1');

    expect(second).not.toBe(first);
    expect(new Set((await rows()).map((row) => row.familyId)).size).toBe(2);
  });

  it('rotates: each refresh returns a new token in the same family, and the successor works', async () => {
    const first = await sut.issue('user-1');

    const second = await sut.rotate(first);
    const third = await sut.rotate(second.refreshToken);

    expect(second).toEqual({ userId: 'user-1', refreshToken: expect.any(String) });
    expect(new Set([first, second.refreshToken, third.refreshToken]).size).toBe(3);
    expect(new Set((await rows()).map((row) => row.familyId)).size).toBe(1);
  });

  it('on reuse of a spent token refuses it and revokes the family, so the newest token stops working too', async () => {
    const stolen = await sut.issue('user-1');
    const newest = (await sut.rotate(stolen)).refreshToken;
    const otherSession = await sut.issue('user-1');

    await expect(sut.rotate(stolen)).rejects.toThrow(refused);
    await expect(sut.rotate(newest)).rejects.toThrow(refused);
    await expect(sut.rotate(otherSession)).resolves.toMatchObject({ userId: 'user-1' });
  });

  it('lets only one of two concurrent refreshes with one token win, and then revokes the family', async () => {
    const token = await sut.issue('user-1');

    const results = await Promise.allSettled([sut.rotate(token), sut.rotate(token)]);

    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    expect(results.filter((result) => result.status === 'rejected')).toHaveLength(1);
    const winner = results.find((result) => result.status === 'fulfilled') as PromiseFulfilledResult<{ refreshToken: string }>;
    await expect(sut.rotate(winner.value.refreshToken)).rejects.toThrow(refused);
  });

  it('logout revokes the family; unknown tokens are ignored', async () => {
    const first = await sut.issue('user-1');
    const current = (await sut.rotate(first)).refreshToken;

    await sut.revoke(first);
    await sut.revoke('not-a-token');

    await expect(sut.rotate(current)).rejects.toThrow(refused);
    expect((await rows()).map((row) => Number(row.revokedAt))).toEqual([time.now.getTime(), time.now.getTime()]);
  });

  it('refuses a token at exactly its expiry, and an unknown token, alike', async () => {
    const token = await sut.issue('user-1');
    time.advance(3_600_000);

    await expect(sut.rotate(token)).rejects.toThrow(refused);
    await expect(sut.rotate('unknown')).rejects.toThrow(refused);
  });

  it('prunes a session only once its newest token has expired', async () => {
    const first = await sut.issue('user-1');
    time.advance(1_800_000);
    await sut.rotate(first);
    time.advance(900_000);
    await sut.issue('user-1');
    time.advance(900_000);

    expect(await sut.pruneExpired()).toBe(0);
    time.advance(1_800_000);
    expect(await sut.pruneExpired()).toBe(2);
    expect(await rows()).toHaveLength(1);
  });
});
