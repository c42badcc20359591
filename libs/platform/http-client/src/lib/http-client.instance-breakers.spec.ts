import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InMemoryRegistry } from '@nestkit/discovery';
import { anInstance } from '@nestkit/discovery/testing';
import { UnavailableError } from '@nestkit/errors';
import { OutlierDetector, RoundRobinBalancer } from '@nestkit/load-balancing';
import { CircuitBreakerRegistry, InstanceCircuitOpenError, type UpstreamPolicyOptions } from '@nestkit/resilience';
import { HttpClient } from './http-client';

/** A loopback server answering every request with `status`, counting them. */
async function upstream(status: () => number): Promise<{ server: Server; port: number; hits: () => number }> {
  let hits = 0;
  const server = createServer((_req, res) => {
    hits += 1;
    res.statusCode = status();
    res.end();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, port: (server.address() as AddressInfo).port, hits: () => hits };
}

describe(`${HttpClient.name} with per-instance breakers`, () => {
  const servers: Server[] = [];
  let registry: InMemoryRegistry;
  let breakers: CircuitBreakerRegistry;

  beforeEach(() => {
    registry = new InMemoryRegistry();
    breakers = new CircuitBreakerRegistry({ mode: 'consecutive', threshold: 2, halfOpenAfterMs: 60_000, halfOpenProbes: 1 });
  });
  afterEach(() => {
    for (const server of servers.splice(0)) {
      server.closeAllConnections();
      server.close();
    }
  });

  async function serve(id: string, status: () => number) {
    const s = await upstream(status);
    servers.push(s.server);
    await registry.register(anInstance({ id, port: s.port }));
    return s;
  }

  const client = (outliers?: OutlierDetector) =>
    new HttpClient({ service: 'catalog', instancer: registry, balancer: new RoundRobinBalancer(), timeoutMs: 1_000, instanceBreakers: breakers, outliers });

  it('opens the breaker of an instance answering 500 and stops sending it calls, while 4xx never count', async () => {
    const bad = await serve('bad', () => 500);
    const good = await serve('good', () => 404);
    const sut = client();
    const statuses: string[] = [];
    for (let i = 0; i < 10; i += 1) {
      const response = await sut.request({ path: '/p' });
      statuses.push(`${response.instanceId}:${response.status}`);
    }
    // Round robin sends bad its 2 calls (the threshold), then only good answers.
    expect(bad.hits()).toBe(2);
    expect(good.hits()).toBe(8);
    expect(statuses.filter((s) => s === 'bad:500')).toHaveLength(2);
    expect(breakers.state('bad')).toBe('open');
    expect(breakers.state('good')).toBe('closed');
  });

  it('feeds the outlier detector: an instance with an open breaker is filtered like an ejected one', async () => {
    await serve('bad', () => 502);
    await serve('good', () => 200);
    const outliers = new OutlierDetector({ isOpen: (id) => breakers.isOpen(id) });
    const sut = client(outliers);
    for (let i = 0; i < 4; i += 1) await sut.request({ path: '/p' });
    expect(breakers.isOpen('bad')).toBe(true);
    expect(outliers.filter(registry.instances('catalog')).map((i) => i.id)).toEqual(['good']);
  });

  it('fails fast with circuit-open when every instance is open, without calling any', async () => {
    const only = await serve('only', () => 503);
    const sut = client();
    for (let i = 0; i < 2; i += 1) await sut.request({ path: '/p' });
    const rejected = sut.request({ path: '/p' });
    await expect(rejected).rejects.toBeInstanceOf(UnavailableError);
    await expect(rejected).rejects.toBeInstanceOf(InstanceCircuitOpenError);
    await expect(rejected).rejects.toMatchObject({ code: 'circuit-open' });
    expect(only.hits()).toBe(2);
  });

  it("recovers as soon as the instance's breaker lets a probe through: the upstream breaker is not re-opened by instance refusals", async () => {
    // Only the clock is faked, so breaker time is exact while the loopback HTTP calls stay real.
    vi.useFakeTimers({ toFake: ['Date'] });
    const later = (ms: number) => vi.setSystemTime(Date.now() + ms);
    onTestFinished(() => void vi.useRealTimers());
    let status = 503;
    const only = await serve('only', () => status);
    breakers = new CircuitBreakerRegistry({ mode: 'consecutive', threshold: 2, halfOpenAfterMs: 400, halfOpenProbes: 1 });
    const events: string[] = [];
    // The upstream's breaker half-opens before the instance's, as when the instance opened a little later.
    const policy: UpstreamPolicyOptions = {
      timeoutMs: 1_000,
      breaker: { mode: 'consecutive', threshold: 2, halfOpenAfterMs: 150, halfOpenProbes: 1 },
      listener: { onEvent: (event) => events.push(event.kind) },
    };
    const sut = new HttpClient({ service: 'catalog', instancer: registry, balancer: new RoundRobinBalancer(), timeoutMs: 1_000, instanceBreakers: breakers, policy });
    for (let i = 0; i < 2; i += 1) expect((await sut.request({ path: '/p' })).status).toBe(503);
    expect(breakers.state('only')).toBe('open');
    expect(sut.breaker?.state).toBe('open');
    status = 200;

    // The upstream's probe is refused by the instance's breaker, still open: no call, and no re-open.
    later(200);
    await expect(sut.request({ path: '/p' })).rejects.toBeInstanceOf(InstanceCircuitOpenError);
    expect(only.hits()).toBe(2);
    expect(sut.breaker?.state).toBe('closed');

    // Once the instance's break is over, the very next call is its probe and gets through.
    later(250);
    expect((await sut.request({ path: '/p' })).status).toBe(200);
    expect(breakers.state('only')).toBe('closed');
    expect(events.filter((kind) => kind === 'breaker-open')).toEqual(['breaker-open']);
  });
});
