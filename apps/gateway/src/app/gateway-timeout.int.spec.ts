import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TestTokens } from '@nestkit/auth/testing';
import type { RunningService } from '@nestkit/bootstrap';
import { main } from '../main';
import { FakeIdentityServer } from './testing/fake-identity.server';

/** Issue 4 at the edge: a hung upstream costs the client the gateway's budget plus at most 100 ms. */
describe('gateway in front of a hung upstream', () => {
  const TIMEOUT_MS = 300;
  let hung: Server;
  let identity: FakeIdentityServer;
  let gateway: RunningService;
  let authorization: string;

  beforeAll(async () => {
    hung = createServer(() => undefined);
    hung.listen(0, '127.0.0.1');
    await once(hung, 'listening');
    // Only the key set is needed, to let the POST (not public) past edge authentication.
    identity = await FakeIdentityServer.start({ id: 'gateway', secret: 'unused-secret-0123456789' });
    authorization = `Bearer ${await identity.tokens.sign()}`;
    gateway = await main({
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      REGISTRY: 'static',
      STATIC_INSTANCES: `catalog=127.0.0.1:${(hung.address() as AddressInfo).port}`,
      UPSTREAM_TIMEOUT_MS: String(TIMEOUT_MS),
      AUTH_JWKS_URL: `http://${identity.address}/.well-known/jwks.json`,
      AUTH_ISSUER: TestTokens.issuer,
      AUTH_AUDIENCE: TestTokens.audience,
    });
    // Warm the proxy path and the key set (first-request compilation and fetch are not what is measured here).
    await (await fetch(`${gateway.url}/api/orders`, { headers: { authorization } })).arrayBuffer();
  });

  afterAll(async () => {
    await gateway?.close();
    identity?.close();
    hung.closeAllConnections();
    hung.close();
  });

  it.each(['GET', 'POST'])('answers a %s with 504 problem+json within timeout + 100 ms', async (method) => {
    const started = performance.now();
    const response = await fetch(`${gateway.url}/api/catalog/products`, {
      method,
      headers: { authorization, ...(method === 'POST' ? { 'content-type': 'application/json' } : {}) },
      ...(method === 'POST' ? { body: '{}' } : {}),
      signal: AbortSignal.timeout(5_000),
    });
    const elapsed = performance.now() - started;
    expect(response.status).toBe(504);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await response.json()).toMatchObject({ status: 504, code: 'upstream-timeout' });
    expect(elapsed).toBeGreaterThanOrEqual(TIMEOUT_MS - 10);
    expect(elapsed).toBeLessThan(TIMEOUT_MS + 100);
  });

  it('answers 503 problem+json when a routed service has no instance', async () => {
    const response = await fetch(`${gateway.url}/api/orders`, { headers: { authorization }, signal: AbortSignal.timeout(5_000) });
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ status: 503, code: 'no-instances' });
  });
});
