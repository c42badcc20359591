import { randomBytes, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// eslint-disable-next-line @nx/enforce-module-boundaries -- the shared attack suite is test tooling; the lead decides how e2e may use feature libs' testing entry points
import { attackTokens } from '@nestkit/auth/testing';
import { waitFor } from '@nestkit/testing';
import { decodeProtectedHeader, SignJWT } from 'jose';
import { type Actor, type MatrixWorld, matrixCells } from './authorization-matrix';
import { call } from './http';
import { activeSigningKey, type GenuineKey } from './identity-keys';
import { PlatformProcess } from './platform-process';

const ISSUER = 'nestkit-identity';
const AUDIENCE = 'nestkit';
const SECRET = randomBytes(32).toString('base64');

interface Session {
  email: string;
  password: string;
  id: string;
  accessToken: string;
  refreshToken: string;
}

/**
 * Issue 6's proof on the platform as `npm start` runs it (production caller policy by default): hostile
 * tokens at the gateway and at a service directly, the authorization matrix over every route,
 * refresh-token reuse, a signing-key rotation mid-run, and no secret in any log line.
 */
describe('security (npm start, through the gateway and around it)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'nestkit-security-'));
  const sessions = new Map<Actor, Session>();
  const orders = new Map<Actor, string>();
  let platform: PlatformProcess;
  let api: string;
  let ordersUrl: string;
  let attacker: Server;
  let attackerHits = 0;
  let genuine: GenuineKey;
  let victimEmail: string;

  const session = (actor: Actor) => sessions.get(actor) as Session;

  async function register(email: string, password = `pw-${randomUUID()}`): Promise<Session> {
    const created = await call(`${api}/identity/register`, { json: { email, password } });
    expect(created.status).toBe(201);
    const login = await call(`${api}/identity/login`, { json: { email, password } });
    expect(login.status).toBe(200);
    return { email, password, id: created.body.id, accessToken: login.body.accessToken, refreshToken: login.body.refreshToken };
  }

  async function placeSettledOrder(token: string): Promise<string> {
    const placed = await call(`${api}/orders`, { token, json: { items: [{ productId: 'p-mouse', quantity: 1 }] } });
    expect(placed.status).toBe(202);
    // CONFIRMED means catalog accepted the order-placed, i.e. orders' signed identity verified.
    const settled = await waitFor(async () => {
      const order = await call(`${api}/orders/${placed.body.id}`, { token });
      return order.body.status !== 'PENDING' ? order.body.status : undefined;
    }, { what: `order ${placed.body.id} to settle`, timeoutMs: 15_000, intervalMs: 100 });
    expect(settled).toBe('CONFIRMED');
    return placed.body.id;
  }

  /** A genuine service token, as identity would issue it to the gateway, for calling a service directly. */
  function serviceToken(audience: string, key: GenuineKey = genuine): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ kind: 'service', client_id: 'gateway', roles: [] })
      .setProtectedHeader({ alg: key.publicJwk.alg, kid: key.publicJwk.kid, typ: 'service+jwt' })
      .setIssuer(ISSUER)
      .setAudience(audience)
      .setSubject('gateway')
      .setJti(randomUUID())
      .setIssuedAt(now)
      .setExpirationTime(now + 300)
      .sign(key.privateKey);
  }

  beforeAll(async () => {
    attacker = createServer((_request, response) => {
      attackerHits += 1;
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"keys":[]}');
    });
    attacker.listen(0, '127.0.0.1');
    await once(attacker, 'listening');
    const adminEmail = `admin-${randomUUID()}@example.com`;
    platform = await PlatformProcess.start({
      NESTKIT_DATA_DIR: dataDir,
      SIGNING_KEY_SECRET: SECRET,
      // Rotation on demand at once, not after the 10-minute publish lead.
      SIGNING_KEY_PUBLISH_LEAD_SEC: '0',
      BOOTSTRAP_ADMIN_EMAIL: adminEmail,
      // Every request line is logged, so "no secret in the logs" covers the headers of every call below.
      LOG_LEVEL: 'info',
    });
    api = `${platform.url}/api`;
    ordersUrl = /orders ready at (\S+) \(pid/.exec(platform.logs)?.[1] as string;
    sessions.set('admin', await register(adminEmail));
    sessions.set('alice', await register(`alice-${randomUUID()}@example.com`));
    sessions.set('bob', await register(`bob-${randomUUID()}@example.com`));
    victimEmail = (await register(`victim-${randomUUID()}@example.com`)).email;
    for (const actor of ['alice', 'bob', 'admin'] as const) orders.set(actor, await placeSettledOrder(session(actor).accessToken));
    genuine = await activeSigningKey(join(dataDir, 'identity.db'), SECRET);
  });

  afterAll(async () => {
    expect(await platform?.stop()).toBe(0);
    attacker?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function attackSuite() {
    const attackerUrl = `http://127.0.0.1:${(attacker.address() as AddressInfo).port}/jwks.json`;
    return attackTokens({ ...genuine, issuer: ISSUER, audience: AUDIENCE, refreshToken: session('alice').refreshToken, attackerUrl });
  }

  it('answers every hostile token with 401 at the gateway, and fetches nothing a token points to', async () => {
    const { valid, attacks } = await attackSuite();
    expect(attacks.length).toBeGreaterThanOrEqual(25);
    for (const attack of attacks) {
      const response = await call(`${api}/orders`, { token: attack.token });
      // instance /api/orders: the gateway answered (orders itself would say /orders), so no service saw the token.
      expect({ attack: attack.name, status: response.status, type: response.contentType.split(';')[0], instance: response.body.instance }).toEqual({
        attack: attack.name,
        status: 401,
        type: 'application/problem+json',
        instance: '/api/orders',
      });
    }
    expect((await call(`${api}/orders`, { token: valid })).status).toBe(200);
    expect(attackerHits).toBe(0);
  });

  it("answers every hostile token with 401 at orders directly, even with the gateway's genuine service token", async () => {
    const { valid, attacks } = await attackSuite();
    const headers = { 'x-service-authorization': `Bearer ${await serviceToken('orders')}` };
    for (const attack of attacks) {
      const response = await call(`${ordersUrl}/orders`, { token: attack.token, headers });
      expect({ attack: attack.name, status: response.status, code: response.body.code }).toEqual({ attack: attack.name, status: 401, code: expect.stringMatching(/^invalid-/) });
    }
    expect((await call(`${ordersUrl}/orders`, { token: valid, headers })).status).toBe(200);
    expect(attackerHits).toBe(0);
  });

  it('refuses a direct call to a service with a valid user token but no valid service token', async () => {
    const user = session('alice').accessToken;
    const forgedKey = (await attackTokens({ ...genuine, issuer: ISSUER, audience: AUDIENCE })).attacks.find((a) => a.name === 'another key under the genuine kid');
    const cases: [string, Record<string, string>, string][] = [
      ['no service token', {}, 'missing-service-token'],
      ['the user token as service token', { 'x-service-authorization': `Bearer ${user}` }, 'invalid-token'],
      ['a service token for catalog', { 'x-service-authorization': `Bearer ${await serviceToken('catalog')}` }, 'invalid-token'],
      ['a forged service token', { 'x-service-authorization': `Bearer ${forgedKey?.token}` }, 'invalid-token'],
    ];
    for (const [what, headers, code] of cases) {
      const response = await call(`${ordersUrl}/orders`, { token: user, headers });
      expect({ what, status: response.status, code: response.body.code }).toEqual({ what, status: 401, code });
    }
    expect((await call(`${ordersUrl}/health/ready`)).status).toBe(200);
  });

  describe('authorization matrix', () => {
    const world: MatrixWorld = {
      token: (actor) => (actor === 'anonymous' ? undefined : session(actor).accessToken),
      userId: (actor) => session(actor === 'anonymous' ? 'alice' : actor).id,
      orderId: (actor) => orders.get(actor === 'anonymous' ? 'alice' : actor) as string,
      other: (actor) => (actor === 'alice' ? 'bob' : 'alice'),
      credentials: async (actor) => (actor === 'anonymous' ? register(`anon-${randomUUID()}@example.com`) : session(actor)),
      freshRefreshToken: async (actor) => {
        const { email, password } = await world.credentials(actor);
        return (await call(`${api}/identity/login`, { json: { email, password } })).body.refreshToken;
      },
      get victimEmail() {
        return victimEmail;
      },
    };

    it.each(matrixCells().map((cell) => [cell.row.route, cell.actor, cell.ownership, cell.status, cell] as const))(
      '%s as %s (%s resource): %i',
      async (_route, actor, ownership, status, cell) => {
        const request = await cell.row.request(world, actor, ownership);
        const response = await call(`${platform.url}${request.path}`, { method: request.method, token: world.token(actor), ...(request.json === undefined ? {} : { json: request.json }) });
        expect({ status: response.status, problem: response.status >= 400 ? response.contentType.startsWith('application/problem+json') : true }).toEqual({ status, problem: true });
        if (status < 300) cell.row.check?.(response.body, world, actor);
      },
    );
  });

  it('revokes the whole family when a spent refresh token is presented again', async () => {
    const login = await call(`${api}/identity/login`, { json: { email: session('bob').email, password: session('bob').password } });
    const first: string = login.body.refreshToken;
    const rotated = await call(`${api}/identity/refresh`, { json: { refreshToken: first } });
    expect(rotated.status).toBe(200);

    const reused = await call(`${api}/identity/refresh`, { json: { refreshToken: first } });
    const successor = await call(`${api}/identity/refresh`, { json: { refreshToken: rotated.body.refreshToken } });

    expect(reused).toMatchObject({ status: 401, body: { code: 'identity.invalid-refresh-token' } });
    expect(successor).toMatchObject({ status: 401, body: { code: 'identity.invalid-refresh-token' } });
    expect((await call(`${api}/orders`, { token: rotated.body.accessToken })).status).toBe(200);
  });

  it('keeps every valid session working across a signing-key rotation', async () => {
    const before = ['alice', 'bob', 'admin'].map((actor) => sessions.get(actor as Actor) as Session);
    const oldKid = decodeProtectedHeader(before[0].accessToken).kid;

    const rotation = await call(`${api}/identity/admin/signing-keys/rotate`, { method: 'POST', token: session('admin').accessToken });
    expect(rotation.status).toBe(200);
    const active = rotation.body.find((key: { state: string }) => key.state === 'active').kid;
    expect(active).not.toBe(oldKid);

    for (const user of before) {
      // The token signed with the retiring key still works everywhere...
      expect((await call(`${api}/orders`, { token: user.accessToken })).status).toBe(200);
      expect((await call(`${api}/notifications`, { token: user.accessToken })).status).toBe(200);
      // ...and the session refreshes into a token signed with the new key, which works end to end.
      const refreshed = await call(`${api}/identity/refresh`, { json: { refreshToken: user.refreshToken } });
      expect(refreshed.status).toBe(200);
      expect(decodeProtectedHeader(refreshed.body.accessToken).kid).toBe(active);
      expect((await call(`${api}/notifications`, { token: refreshed.body.accessToken })).status).toBe(200);
      await placeSettledOrder(refreshed.body.accessToken);
    }
  });

  it('writes no password, refresh token, access or service token, nor the signing-key secret to any log', () => {
    const logs = platform.logs;
    expect(logs).toContain('"msg":"request completed"');
    for (const user of sessions.values()) {
      expect(logs).not.toContain(user.password);
      expect(logs).not.toContain(user.refreshToken);
    }
    expect(logs).not.toContain(SECRET);
    expect(logs).not.toMatch(/eyJ[\w-]{10,}\.eyJ[\w-]{10,}/);
    expect(logs).toContain('"x-service-authorization":"[redacted]"');
  });
});
