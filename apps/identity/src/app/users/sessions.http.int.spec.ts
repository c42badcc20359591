import { randomUUID } from 'node:crypto';
import { dataDir, IdentityProcess } from '../testing/identity-process';
import { FakeClock } from '../testing/identity-test-kit';

const PROBLEM = /^application\/problem\+json/;

/** Sessions over HTTP: refresh rotation and reuse, logout, lockout without enumeration, and no password in any log line. */
describe('identity sessions over HTTP', () => {
  const data = dataDir();
  const time = new FakeClock();
  let identity: IdentityProcess;
  const account = () => ({ email: `ada-${randomUUID()}@example.com`, password: `pw-${randomUUID()}` });

  beforeAll(async () => {
    identity = await IdentityProcess.start(
      { DATABASE_URL: data.url, LOG_LEVEL: 'trace', LOGIN_MAX_ATTEMPTS_PER_ACCOUNT: '3', LOGIN_LOCKOUT_SEC: '120', LOGIN_TRUSTED_PROXY_HOPS: '1' },
      time.clock,
    );
  });

  afterAll(async () => {
    await identity?.close();
    data.remove();
  });

  async function registered(): Promise<{ email: string; password: string }> {
    const user = account();
    expect((await identity.call('/register', { json: user })).status).toBe(201);
    return user;
  }

  it('rotates the refresh token on every refresh; the spent one then fails and takes the newest down with it', async () => {
    const login = await identity.call('/login', { json: await registered() });
    const first = login.body.refreshToken as string;

    const second = await identity.call('/refresh', { json: { refreshToken: first } });
    const third = await identity.call('/refresh', { json: { refreshToken: second.body.refreshToken } });
    expect([second.status, third.status]).toEqual([200, 200]);
    expect(new Set([first, second.body.refreshToken, third.body.refreshToken]).size).toBe(3);
    expect(third.body).toEqual({ accessToken: expect.any(String), refreshToken: expect.any(String), expiresIn: 600 });

    const reuse = await identity.call('/refresh', { json: { refreshToken: first } });
    const newest = await identity.call('/refresh', { json: { refreshToken: third.body.refreshToken } });
    for (const response of [reuse, newest]) {
      expect(response.status).toBe(401);
      expect(response.headers.get('content-type')).toMatch(PROBLEM);
      expect(response.body).toMatchObject({ code: 'identity.invalid-refresh-token', detail: 'refresh token is invalid, expired or revoked' });
    }
  });

  it('logs out (204) by revoking the session; its refresh token then fails, other sessions live on', async () => {
    const user = await registered();
    const phone = await identity.call('/login', { json: user });
    const laptop = await identity.call('/login', { json: user });

    expect((await identity.call('/logout', { json: { refreshToken: phone.body.refreshToken } })).status).toBe(204);

    expect((await identity.call('/refresh', { json: { refreshToken: phone.body.refreshToken } })).status).toBe(401);
    expect((await identity.call('/refresh', { json: { refreshToken: laptop.body.refreshToken } })).status).toBe(200);
    expect((await identity.call('/logout', { json: { refreshToken: 'never-issued' } })).status).toBe(204);
  });

  it('locks after exactly 3 attempts with 429 problem+json and Retry-After, the same for a registered and an unknown e-mail', async () => {
    const known = await registered();
    const unknown = account();
    const attempt = async (email: string, password: string) => {
      const response = await identity.call('/login', { json: { email, password }, headers: { 'x-forwarded-for': '198.51.100.20' } });
      return { status: response.status, retryAfter: response.headers.get('retry-after'), type: response.headers.get('content-type'), body: { ...response.body, instance: undefined } };
    };

    const knownRun = [];
    const unknownRun = [];
    for (let i = 0; i < 4; i += 1) {
      knownRun.push(await attempt(known.email, 'wrong password'));
      unknownRun.push(await attempt(unknown.email, 'wrong password'));
    }

    expect(unknownRun).toEqual(knownRun);
    expect(knownRun.map((response) => response.status)).toEqual([401, 401, 401, 429]);
    expect(knownRun[0]?.body).toMatchObject({ code: 'identity.bad-credentials', detail: 'e-mail or password is wrong' });
    expect(knownRun[3]).toMatchObject({
      retryAfter: '120',
      type: expect.stringMatching(PROBLEM),
      body: { status: 429, code: 'identity.login-throttled', retryAfterSec: 120, detail: 'too many login attempts for this account; retry in 120 s' },
    });
    expect((await attempt(known.email, known.password)).status).toBe(429);
    time.advance(120_000);
    expect((await attempt(known.email, known.password)).status).toBe(200);
  });

  it('never writes a password to the logs, while the register and login lines are there', async () => {
    const user = account();
    await identity.call('/register', { json: user });
    const login = await identity.call('/login', { json: user });
    await identity.call('/login', { json: { ...user, password: `${user.password}-wrong` } });
    await identity.call('/refresh', { json: { refreshToken: login.body.refreshToken }, token: login.body.accessToken });

    expect(identity.logs).toContain('user registered');
    expect(identity.logs).toContain('"url":"/login"');
    expect(identity.logs).toContain('"authorization":"[redacted]"');
    for (const secret of [user.password, login.body.accessToken, login.body.refreshToken]) expect(identity.logs).not.toContain(secret);
  });
});
