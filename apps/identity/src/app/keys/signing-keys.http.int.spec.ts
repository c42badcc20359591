import { randomUUID } from 'node:crypto';
import { JwtTokenVerifier } from '@nestkit/auth';
import { waitFor } from '@nestkit/testing';
import { decodeProtectedHeader } from 'jose';
import { dataDir, IdentityProcess } from '../testing/identity-process';
import { FakeClock } from '../testing/identity-test-kit';

const MIN = 60_000;

/**
 * Key rotation while services verify through the JWKS URL: the next key is in the JWKS before it signs,
 * tokens of the old key verify through the rotation, and a restart of identity keeps every token valid.
 */
describe('identity signing keys over HTTP', () => {
  const data = dataDir();
  const time = new FakeClock();
  const env = { DATABASE_URL: data.url, BOOTSTRAP_ADMIN_EMAIL: 'root@example.com', SIGNING_KEY_PUBLISH_LEAD_SEC: '600' };
  const admin = { email: 'root@example.com', password: `pw-${randomUUID()}` };
  let identity: IdentityProcess;

  beforeAll(async () => {
    identity = await IdentityProcess.start(env, time.clock);
    await identity.call('/register', { json: admin });
  });

  afterAll(async () => {
    await identity?.close();
    data.remove();
  });

  const kids = async () => ((await identity.call('/.well-known/jwks.json')).body.keys as { kid: string }[]).map((key) => key.kid).sort();
  const kidOf = (token: string) => decodeProtectedHeader(token).kid as string;
  const login = async (user = admin) => (await identity.call('/login', { json: user })).body as { accessToken: string; refreshToken: string };
  // A downstream service: fetches identity's JWKS, refetches on an unknown kid.
  const service = () => JwtTokenVerifier.fromJwksUrl({ jwksUrl: `${identity.url}/.well-known/jwks.json`, issuer: 'test-issuer', audience: 'test-audience', cooldownMs: 0, clock: time.clock });

  it('guards the admin endpoints: 401 without a token, 403 for a user, 200 for the bootstrap admin', async () => {
    const bob = { email: `bob-${randomUUID()}@example.com`, password: `pw-${randomUUID()}` };
    await identity.call('/register', { json: bob });

    const [anonymous, user, root] = await Promise.all([
      identity.call('/admin/signing-keys'),
      identity.call('/admin/signing-keys', { token: (await login(bob)).accessToken }),
      identity.call('/admin/signing-keys', { token: (await login()).accessToken }),
    ]);

    expect(anonymous.body).toMatchObject({ status: 401, code: 'missing-token' });
    expect(user.body).toMatchObject({ status: 403, code: 'missing-permission', detail: 'missing permission: identity:signing-keys:read' });
    expect(root.status).toBe(200);
    expect(root.body.map((key: { state: string }) => key.state).sort()).toEqual(['active', 'next']);
  });

  it('rotates on demand mid-run: the new key was published before it signs, old tokens keep verifying', async () => {
    const verifier = service();
    const adminToken = (await login()).accessToken;
    const oldToken = (await login()).accessToken;
    await verifier.verify(oldToken);
    const published = await kids();
    const next = (await identity.call('/admin/signing-keys', { token: adminToken })).body.find((key: { state: string }) => key.state === 'next').kid;

    const early = await identity.call('/admin/signing-keys/rotate', { method: 'POST', token: adminToken });
    time.advance(10 * MIN);
    const rotated = await identity.call('/admin/signing-keys/rotate', { method: 'POST', token: adminToken });

    expect(early.body).toMatchObject({ status: 409, code: 'identity.next-key-not-ready' });
    expect(rotated.status).toBe(200);
    const newToken = (await login()).accessToken;
    expect(kidOf(newToken)).toBe(next);
    expect(published).toContain(next);
    expect(kidOf(oldToken)).not.toBe(next);
    await expect(verifier.verify(newToken)).resolves.toMatchObject({ roles: ['user', 'admin'] });
    await expect(verifier.verify(oldToken)).resolves.toMatchObject({ roles: ['user', 'admin'] });
    expect(await kids()).toEqual(expect.arrayContaining([kidOf(oldToken), next]));
  });

  it('keeps every token valid across a restart of identity (keys are persisted)', async () => {
    const before = await login();
    const jwksBefore = await kids();
    await identity.close();

    identity = await IdentityProcess.start(env, time.clock);

    expect(await kids()).toEqual(jwksBefore);
    await expect(service().verify(before.accessToken)).resolves.toMatchObject({ email: admin.email });
    expect((await identity.call('/refresh', { json: { refreshToken: before.refreshToken } })).status).toBe(200);
    expect((await identity.call('/admin/signing-keys', { token: before.accessToken })).status).toBe(200);
  });

  it('grants and revokes roles; the change reaches the token at the next refresh', async () => {
    const carol = { email: `carol-${randomUUID()}@example.com`, password: `pw-${randomUUID()}` };
    const id = (await identity.call('/register', { json: carol })).body.id as string;
    const session = await login(carol);
    const adminToken = (await login()).accessToken;

    const granted = await identity.call(`/admin/users/${id}/roles/admin`, { method: 'PUT', token: adminToken });
    const refreshed = await identity.call('/refresh', { json: { refreshToken: session.refreshToken } });
    const bad = await identity.call(`/admin/users/${id}/roles/service`, { method: 'PUT', token: adminToken });
    const revoked = await identity.call(`/admin/users/${id}/roles/admin`, { method: 'DELETE', token: adminToken });

    expect(granted.body).toMatchObject({ userId: id, roles: ['user', 'admin'] });
    await expect(service().verify(refreshed.body.accessToken)).resolves.toMatchObject({ roles: ['user', 'admin'] });
    expect(bad.body).toMatchObject({ status: 422, errors: [expect.objectContaining({ path: 'role' })] });
    expect(revoked.body).toMatchObject({ roles: ['user'] });
  });
});

describe('identity signing keys on schedule', () => {
  const data = dataDir();
  const time = new FakeClock();
  let identity: IdentityProcess;

  beforeAll(async () => {
    identity = await IdentityProcess.start(
      { DATABASE_URL: data.url, SIGNING_KEY_ROTATION_INTERVAL_SEC: '3600', SIGNING_KEY_PUBLISH_LEAD_SEC: '600', SIGNING_KEY_CHECK_INTERVAL_SEC: '1' },
      time.clock,
    );
  });

  afterAll(async () => {
    await identity?.close();
    data.remove();
  });

  const keys = async () => (await identity.call('/.well-known/jwks.json')).body.keys as { kid: string }[];

  it('rotates when the interval is up and drops the old key once its last token has expired', async () => {
    const user = { email: `dan-${randomUUID()}@example.com`, password: `pw-${randomUUID()}` };
    await identity.call('/register', { json: user });
    const oldKid = decodeProtectedHeader((await identity.call('/login', { json: user })).body.accessToken).kid;

    time.advance(3_600_000);
    await waitFor(async () => (await keys()).length === 3, { what: 'the scheduled rotation', timeoutMs: 10_000, intervalMs: 100 });
    const newKid = decodeProtectedHeader((await identity.call('/login', { json: user })).body.accessToken).kid;
    // Retiring keys stay max(access 600 s, service 300 s) + 1 s check interval + 60 s skew.
    time.advance(661_000);
    await waitFor(async () => (await keys()).length === 2, { what: 'the retired key to leave the JWKS', timeoutMs: 10_000, intervalMs: 100 });

    expect(newKid).not.toBe(oldKid);
    expect((await keys()).map((key) => key.kid)).toContain(newKid);
    expect((await keys()).map((key) => key.kid)).not.toContain(oldKid);
  });
});
