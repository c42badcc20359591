import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { attackTokens, TestTokens } from '@nestkit/auth/testing';
import type { RunningService } from '@nestkit/bootstrap';
import { main } from '../../main';
import { FakeIdentityServer } from '../testing/fake-identity.server';
import { RecordingUpstream } from '../testing/recording-upstream.server';

const PROBLEM = /^application\/problem\+json/;
const CLIENT = { id: 'gateway', secret: 'gateway-secret-0123456789' };

/**
 * Issue 6 at the edge, with the gateway as `main()` boots it: user tokens verified against identity's
 * JWKS (found through discovery), 401 before any service is called, the client's Authorization forwarded
 * as it came, and the gateway's own service token (for the upstream's audience) on every upstream call.
 */
describe('gateway edge authentication', () => {
  let identity: FakeIdentityServer;
  let orders: RecordingUpstream;
  let catalog: RecordingUpstream;
  let attacker: Server;
  let attackerHits = 0;
  let gateway: RunningService;

  const call = async (path: string, options: { token?: string; headers?: Record<string, string>; method?: string } = {}) => {
    const headers = { ...options.headers, ...(options.token ? { authorization: `Bearer ${options.token}` } : {}) };
    const response = await fetch(`${gateway.url}${path}`, { method: options.method ?? 'GET', headers, signal: AbortSignal.timeout(5_000) });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- test bodies are inspected field by field
    return { status: response.status, type: response.headers.get('content-type') ?? '', body: (await response.json()) as any };
  };

  beforeAll(async () => {
    identity = await FakeIdentityServer.start(CLIENT);
    orders = await RecordingUpstream.start('orders');
    catalog = await RecordingUpstream.start('catalog');
    attacker = createServer((_request, response) => {
      attackerHits += 1;
      response.end('{"keys":[]}');
    });
    attacker.listen(0, '127.0.0.1');
    await once(attacker, 'listening');
    gateway = await main({
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      REGISTRY: 'static',
      STATIC_INSTANCES: `identity=${identity.address};orders=${orders.address};catalog=${catalog.address}`,
      AUTH_ISSUER: TestTokens.issuer,
      AUTH_AUDIENCE: TestTokens.audience,
      AUTH_CLIENT_SECRET: CLIENT.secret,
    });
  });

  afterAll(async () => {
    await gateway?.close();
    for (const server of [identity, orders, catalog]) server?.close();
    attacker?.close();
  });

  it('refuses a protected route without a token with 401 problem+json and never calls the service', async () => {
    const response = await call('/api/orders');
    expect(response).toMatchObject({ status: 401, type: expect.stringMatching(PROBLEM), body: { code: 'missing-token' } });
    expect(orders.seen).toEqual([]);
  });

  it("forwards the user's token as it came, with the gateway's own service token for that upstream instead of the client's", async () => {
    const token = await identity.tokens.sign({ subject: 'u-1', roles: ['user'] });
    const forged = await identity.tokens.signService({ clientId: 'gateway', audience: 'orders' });

    const response = await call('/api/orders/o-1?x=1', { token, headers: { 'x-service-authorization': `Bearer ${forged}` } });

    expect(response).toMatchObject({ status: 200, body: { served: 'orders', path: '/orders/o-1?x=1' } });
    const seen = orders.seen.at(-1)!;
    expect(seen.headers.authorization).toBe(`Bearer ${token}`);
    const serviceToken = String(seen.headers['x-service-authorization']).replace(/^Bearer /, '');
    expect(serviceToken).not.toBe(forged);
    await expect(identity.tokens.serviceVerifier('orders').verify(serviceToken)).resolves.toMatchObject({ subject: 'gateway', kind: 'service' });
  });

  it('lets a public request through without a user token, still with its service token', async () => {
    const response = await call('/api/catalog/products?ids=p-1');
    expect(response).toMatchObject({ status: 200, body: { served: 'catalog' } });
    const seen = catalog.seen.at(-1)!;
    expect(seen.headers.authorization).toBeUndefined();
    await expect(identity.tokens.serviceVerifier('catalog').verify(String(seen.headers['x-service-authorization']).slice(7))).resolves.toMatchObject({ subject: 'gateway' });
  });

  it('answers every hostile token with 401 before any service sees it, and fetches nothing a token names', async () => {
    const attackerUrl = `http://127.0.0.1:${(attacker.address() as AddressInfo).port}/jwks.json`;
    const { valid, attacks } = await attackTokens(identity.tokens.attackKeys({ attackerUrl, refreshToken: 'opaque-refresh-token-0123456789abcdef' }));
    const ordersBefore = orders.seen.length;
    const identityBefore = identity.seen.length;

    const answers = [];
    for (const attack of attacks) {
      const response = await call('/api/orders', { token: attack.token });
      answers.push({ attack: attack.name, status: response.status, type: response.type.split(';')[0], code: response.body.code });
    }

    expect(answers).toEqual(attacks.map((attack) => ({ attack: attack.name, status: 401, type: 'application/problem+json', code: expect.stringMatching(/^invalid-(token|authorization-header)$/) })));
    expect(orders.seen.length).toBe(ordersBefore);
    expect(attackerHits).toBe(0);
    // The only fetch a token can cause is the rate-limited refetch of identity's own key set for an unknown kid.
    expect(identity.seen.slice(identityBefore).every((request) => request.url === '/.well-known/jwks.json')).toBe(true);
    expect((await call('/api/orders', { token: valid })).status).toBe(200);
  });

  it('shows the platform services to admins only: 401 anonymous, 403 user, 200 admin', async () => {
    const user = await identity.tokens.sign({ roles: ['user'] });
    const admin = await identity.tokens.sign({ roles: ['user', 'admin'] });
    expect((await call('/api/_platform/services')).status).toBe(401);
    expect(await call('/api/_platform/services', { token: user })).toMatchObject({ status: 403, body: { code: 'missing-role' } });
    const listed = await call('/api/_platform/services', { token: admin });
    expect(listed.status).toBe(200);
    expect(listed.body.find((entry: { service: string }) => entry.service === 'orders').instances).toHaveLength(1);
  });

  it('keeps health open to probes without credentials', async () => {
    expect((await call('/health/ready')).status).toBe(200);
  });

  it('answers 503, never 401, when the key set cannot be fetched', async () => {
    const closed = createServer();
    closed.listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const jwksUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/.well-known/jwks.json`;
    closed.close();
    const blind = await main({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', REGISTRY: 'static', STATIC_INSTANCES: `orders=${orders.address}`, AUTH_JWKS_URL: jwksUrl });
    try {
      const token = await identity.tokens.sign();
      const response = await fetch(`${blind.url}/api/orders`, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(5_000) });
      expect({ status: response.status, body: await response.json() }).toMatchObject({ status: 503, body: { code: 'auth-unavailable' } });
    } finally {
      await blind.close();
    }
  });
});
