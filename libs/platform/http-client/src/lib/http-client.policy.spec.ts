import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InMemoryRegistry } from '@nestkit/discovery';
import { anInstance } from '@nestkit/discovery/testing';
import { UnavailableError } from '@nestkit/errors';
import { OutlierDetector, RoundRobinBalancer } from '@nestkit/load-balancing';
import { RetryBudget, type UpstreamPolicyOptions } from '@nestkit/resilience';
import { HttpClient } from './http-client';

/** A loopback server answering with a fixed status after `delayMs`, counting what it receives. */
async function upstream(status: number, delayMs = 0): Promise<{ server: Server; port: number; hits: () => number }> {
  let hits = 0;
  const server = createServer((_req, res) => {
    hits += 1;
    const timer = setTimeout(() => {
      res.statusCode = status;
      res.end(String(status));
    }, delayMs);
    res.once('close', () => clearTimeout(timer));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, port: (server.address() as AddressInfo).port, hits: () => hits };
}

describe(`${HttpClient.name} with a resilience policy`, () => {
  const servers: Server[] = [];
  let registry: InMemoryRegistry;

  beforeEach(() => {
    registry = new InMemoryRegistry();
  });
  afterEach(async () => {
    for (const server of servers.splice(0)) {
      server.closeAllConnections();
      server.close();
    }
  });

  async function serve(id: string, status: number, delayMs = 0) {
    const s = await upstream(status, delayMs);
    servers.push(s.server);
    await registry.register(anInstance({ id, port: s.port }));
    return s;
  }

  const client = (policy: UpstreamPolicyOptions) =>
    new HttpClient({ service: 'catalog', instancer: registry, balancer: new RoundRobinBalancer(), timeoutMs: 2_000, policy });
  const retryOnce = { timeoutMs: 1_000, retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1, jitter: 'none' as const } };

  it('retries an idempotent GET on another instance when the first one refuses', async () => {
    await registry.register(anInstance({ id: 'dead', port: 1 }));
    await serve('alive', 200);
    const sut = client(retryOnce);
    const responses = await Promise.all([sut.request({ path: '/p' }), sut.request({ path: '/p' })]);
    expect(responses.map((r) => `${r.instanceId}:${r.status}`)).toEqual(['alive:200', 'alive:200']);
  });

  it('never retries a POST without an Idempotency-Key, but does with one', async () => {
    await registry.register(anInstance({ id: 'dead', port: 1 }));
    await serve('alive', 201);
    const sut = client(retryOnce);
    await expect(sut.request({ method: 'POST', path: '/orders', body: '{}' })).rejects.toBeInstanceOf(UnavailableError);
    const keyed = await sut.request({ method: 'POST', path: '/orders', body: '{}', headers: { 'idempotency-key': 'k-1' } });
    expect(keyed.status).toBe(201);
  });

  it('retries a 503 elsewhere, and relays the last 503 as it is when every attempt gets one', async () => {
    const failing = await serve('busy', 503);
    const sut = client(retryOnce);
    const response = await sut.request({ path: '/p' });
    expect(response.status).toBe(503);
    expect(failing.hits()).toBe(2);
    await serve('fine', 200);
    expect((await sut.request({ path: '/p' })).status).toBe(200);
  });

  it('sends an upstream that always answers 503 at most 1.2x the client requests (retry budget)', async () => {
    const failing = await serve('down', 503);
    const budget = new RetryBudget({ ratio: 0.2, minRetriesPerSecond: 0 });
    const sut = client({ timeoutMs: 1_000, retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 1, jitter: 'none', budget } });
    for (let i = 0; i < 100; i += 1) expect((await sut.request({ path: '/p' })).status).toBe(503);
    expect(failing.hits()).toBeGreaterThan(100);
    expect(failing.hits()).toBeLessThanOrEqual(120);
  });

  it('fails fast with circuit-open once the breaker opened, without calling the upstream', async () => {
    const failing = await serve('down', 503);
    const sut = client({ timeoutMs: 1_000, breaker: { mode: 'consecutive', threshold: 3, halfOpenAfterMs: 60_000 } });
    for (let i = 0; i < 3; i += 1) expect((await sut.request({ path: '/p' })).status).toBe(503);
    await expect(sut.request({ path: '/p' })).rejects.toMatchObject({ code: 'circuit-open' });
    expect(failing.hits()).toBe(3);
  });

  it('hedges a slow read to another instance after the hedge delay; the first answer wins', async () => {
    const slow = await serve('slow', 200, 1_000);
    await serve('fast', 200);
    const sut = client({ timeoutMs: 2_000 });
    const started = performance.now();
    const response = await sut.request({ path: '/p', hedge: true });
    expect(response.instanceId).toBe('fast');
    expect(performance.now() - started).toBeLessThan(600);
    expect(slow.hits()).toBe(1);
  });

  it('does not count a hedged attempt that lost the race as a failure of its instance', async () => {
    await serve('slow', 200, 1_000);
    await serve('fast', 200);
    const outliers = new OutlierDetector({ consecutiveFailures: 1 });
    const sut = new HttpClient({ service: 'catalog', instancer: registry, balancer: new RoundRobinBalancer(), timeoutMs: 2_000, outliers });
    for (let i = 0; i < 4; i += 1) expect((await sut.request({ path: '/p', hedge: true })).instanceId).toBe('fast');
    expect(outliers.ejected()).toEqual([]);
  });

  it('does not hedge a write', async () => {
    const slow = await serve('slow', 201, 300);
    await serve('fast', 201);
    const response = await client({ timeoutMs: 2_000 }).request({ method: 'POST', path: '/p', body: '{}', hedge: true });
    expect(response.instanceId).toBe('slow');
    expect(slow.hits()).toBe(1);
  });
});
