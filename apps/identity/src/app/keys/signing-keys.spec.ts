import { Logger } from '@nestjs/common';
import { inMemoryDataSource } from '@nestkit/database/testing';
import { decodeProtectedHeader } from 'jose';
import type { DataSource } from 'typeorm';
import { IDENTITY_SCHEMA } from '../identity.schema';
import { FakeClock, testConfig, verifierFor } from '../testing/identity-test-kit';
import { SigningKeyEntity } from './signing-key.entity';
import { SigningKeyStore } from './signing-key.store';
import { SigningKeys } from './signing-keys';

const MIN = 60_000;

describe(SigningKeys.name, () => {
  // Rotation every hour, a new key signs only after 10 minutes in the JWKS; tokens live 2 minutes.
  const config = testConfig({ SIGNING_KEY_ROTATION_INTERVAL_SEC: '3600', SIGNING_KEY_PUBLISH_LEAD_SEC: '600', SIGNING_KEY_CHECK_INTERVAL_SEC: '60' });
  // ACCESS 120 s vs SERVICE 300 s: retiring keys stay max(120, 300) s + 60 s check interval + 60 s skew.
  const retireAfterMs = (300 + 60 + 60) * 1_000;
  let dataSource: DataSource;
  let time: FakeClock;
  const instances: SigningKeys[] = [];

  async function boot(overrides = config): Promise<SigningKeys> {
    const keys = new SigningKeys(new SigningKeyStore(dataSource), overrides, time.clock);
    instances.push(keys);
    await keys.onModuleInit();
    return keys;
  }

  const rows = () => dataSource.getRepository(SigningKeyEntity).find();
  const kidOf = (token: string) => decodeProtectedHeader(token).kid;

  beforeEach(async () => {
    vi.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    time = new FakeClock();
    dataSource = await inMemoryDataSource(IDENTITY_SCHEMA);
  });

  afterEach(async () => {
    for (const keys of instances.splice(0)) keys.onModuleDestroy();
    vi.restoreAllMocks();
    await dataSource.destroy();
  });

  it('on first boot makes an active and a next key, publishes both and signs with the active one', async () => {
    const sut = await boot();

    const { keys } = sut.jwks();
    const states = Object.fromEntries((await rows()).map((row) => [row.state, row.kid]));
    expect(keys.map((key) => key.kid).sort()).toEqual([states['active'], states['next']].sort());
    for (const key of keys) expect(key).not.toHaveProperty('d');
    const signed = await sut.signer.signAccessToken({ subject: 'user-1', roles: ['user'] });
    expect(kidOf(signed.token)).toBe(states['active']);
    await expect(verifierFor(sut, time.clock).verify(signed.token)).resolves.toMatchObject({ subject: 'user-1' });
  });

  it('stores private keys only sealed', async () => {
    await boot();

    for (const row of await rows()) {
      expect(JSON.parse(row.privateKey)).toEqual({ v: 1, kek: expect.any(String), iv: expect.any(String), ct: expect.any(String), tag: expect.any(String) });
      expect(row.privateKey).not.toContain('"d"');
    }
  });

  it('keeps the same keys across a restart, so tokens signed before it still verify', async () => {
    const before = await boot();
    const token = (await before.signer.signAccessToken({ subject: 'user-1', roles: [] })).token;
    before.onModuleDestroy();

    const after = await boot();

    expect(after.jwks()).toEqual(before.jwks());
    expect(after.signer.kid).toBe(before.signer.kid);
    await expect(verifierFor(after, time.clock).verify(token)).resolves.toMatchObject({ subject: 'user-1' });
  });

  it('refuses to start with another SIGNING_KEY_SECRET than the keys were sealed with', async () => {
    await boot();

    await expect(boot(testConfig({ SIGNING_KEY_SECRET: 'another-secret-that-is-long-enough-000' }))).rejects.toThrow(/sealed with another SIGNING_KEY_SECRET/);
  });

  it('rotates on schedule: the published next key signs, the old one verifies until its tokens expired, then leaves', async () => {
    const sut = await boot();
    const oldKid = sut.signer.kid;
    const nextKid = (await rows()).find((row) => row.state === 'next')?.kid;
    time.advance(60 * MIN - 1);
    const oldToken = (await sut.signer.signAccessToken({ subject: 'user-1', roles: [] })).token;

    time.advance(1);
    await sut.maintain(false);

    expect(sut.signer.kid).toBe(nextKid);
    expect(kidOf((await sut.signer.signAccessToken({ subject: 'user-2', roles: [] })).token)).toBe(nextKid);
    expect(sut.jwks().keys.map((key) => key.kid)).toEqual(expect.arrayContaining([oldKid, nextKid]));
    expect(sut.jwks().keys).toHaveLength(3);
    await expect(verifierFor(sut, time.clock).verify(oldToken)).resolves.toMatchObject({ subject: 'user-1' });

    time.advance(retireAfterMs - 1);
    await sut.maintain(false);
    expect(sut.jwks().keys.map((key) => key.kid)).toContain(oldKid);
    time.advance(1);
    await sut.maintain(false);
    expect(sut.jwks().keys.map((key) => key.kid)).not.toContain(oldKid);
    expect(sut.jwks().keys).toHaveLength(2);
  });

  it('rotates on demand once the next key has been published for the lead time, and says when otherwise', async () => {
    const sut = await boot();
    const nextKid = (await rows()).find((row) => row.state === 'next')?.kid;

    time.advance(10 * MIN - 1);
    await expect(sut.rotate()).rejects.toMatchObject({ code: 'identity.next-key-not-ready', message: expect.stringContaining('2030-01-01T00:10:00.000Z') });
    expect(sut.signer.kid).not.toBe(nextKid);

    time.advance(1);
    const views = await sut.rotate();

    expect(sut.signer.kid).toBe(nextKid);
    expect(views.find((view) => view.kid === nextKid)).toMatchObject({ state: 'active', activatedAt: '2030-01-01T00:10:00.000Z' });
    expect(views.filter((view) => view.state === 'retiring')).toHaveLength(1);
    expect(views.filter((view) => view.state === 'next')).toHaveLength(1);
  });

  it('lets a second instance pick up a rotation made by the first at its next check', async () => {
    const first = await boot();
    const second = await boot();
    time.advance(10 * MIN);

    await first.rotate();
    expect(second.signer.kid).not.toBe(first.signer.kid);
    await second.maintain(false);

    expect(second.signer.kid).toBe(first.signer.kid);
    expect(second.jwks()).toEqual(first.jwks());
  });
});
