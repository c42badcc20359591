import { inMemoryDataSource } from '@nestkit/database/testing';
import type { DataSource } from 'typeorm';
import { IDENTITY_SCHEMA } from '../identity.schema';
import { FakeClock, testConfig } from '../testing/identity-test-kit';
import { LoginThrottle } from './login-throttle';
import { LoginThrottleEntity } from './login-throttle.entity';

describe(LoginThrottle.name, () => {
  const config = testConfig({ LOGIN_MAX_ATTEMPTS_PER_ACCOUNT: '2', LOGIN_ATTEMPT_WINDOW_SEC: '60', LOGIN_LOCKOUT_SEC: '120' });
  let dataSource: DataSource;
  let time: FakeClock;
  let sut: LoginThrottle;

  beforeEach(async () => {
    time = new FakeClock();
    dataSource = await inMemoryDataSource(IDENTITY_SCHEMA);
    sut = new LoginThrottle(dataSource, config, time.clock);
  });

  afterEach(() => dataSource.destroy());

  it('stores a hash of the e-mail, never the e-mail itself', async () => {
    await sut.attempt('ada@example.com', '203.0.113.7');

    const keys = (await dataSource.getRepository(LoginThrottleEntity).find()).map((row) => row.key).sort();
    expect(keys).toEqual([expect.stringMatching(/^account:[0-9a-f]{64}$/), 'ip:203.0.113.7']);
  });

  it('refuses while locked without counting the refused attempt', async () => {
    await sut.attempt('ada@example.com', '203.0.113.7');
    await sut.attempt('ada@example.com', '203.0.113.7');

    await expect(sut.attempt('ada@example.com', '203.0.113.7')).rejects.toMatchObject({ retryAfterSec: 120 });
    const ip = await dataSource.getRepository(LoginThrottleEntity).findOneByOrFail({ key: 'ip:203.0.113.7' });
    expect(ip.attempts).toBe(2);
  });

  it('prunes counters whose window and lock have both run out', async () => {
    await sut.attempt('ada@example.com', '203.0.113.7');
    await sut.attempt('ada@example.com', '203.0.113.7');
    time.advance(60_000);
    await sut.attempt('bob@example.com', '203.0.113.8');

    expect(await sut.pruneIdle()).toBe(1);
    time.advance(60_000);
    expect(await sut.pruneIdle()).toBe(3);
  });
});
