import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InMemoryRegistry } from '@nestkit/discovery';
import { anInstance } from '@nestkit/discovery/testing';
import { RoundRobinBalancer } from '@nestkit/load-balancing';
import { metricValue, platformMetrics } from '@nestkit/metrics';
import { RecordingResilienceListener } from '@nestkit/resilience/testing';
import { HttpClient } from './http-client';

/** Issue 11: breaker state, transitions, retries and occupancy of every client, in the process's metrics. */
describe(`${HttpClient.name} metrics`, () => {
  let server: Server;
  let port: number;
  let registry: InMemoryRegistry;

  beforeEach(async () => {
    server = createServer((_req, res) => {
      res.statusCode = 503;
      res.end('down');
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    port = (server.address() as AddressInfo).port;
    registry = new InMemoryRegistry();
  });

  afterEach(() => {
    server.closeAllConnections();
    server.close();
  });

  it('counts retries and the breaker opening, shows the state as a gauge, and still tells the caller', async () => {
    const service = `metered-${Date.now()}`;
    await registry.register(anInstance({ id: `${service}-1`, service, port }));
    const listener = new RecordingResilienceListener();
    const sut = new HttpClient({
      service,
      instancer: registry,
      balancer: new RoundRobinBalancer(),
      timeoutMs: 2_000,
      policy: {
        timeoutMs: 1_000,
        listener,
        bulkhead: { maxConcurrent: 4, maxQueued: 2 },
        retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1, jitter: 'none' },
        breaker: { mode: 'consecutive', threshold: 2, halfOpenAfterMs: 60_000 },
      },
    });
    const gauge = () => metricValue(platformMetrics.registry, 'nestkit_circuit_breaker_state', { upstream: service, instance: '', scope: 'upstream' });
    expect(await gauge()).toBe(0);
    for (let i = 0; i < 2; i++) expect((await sut.request({ path: '/x' })).status).toBe(503);

    expect(await gauge()).toBe(1);
    expect(await metricValue(platformMetrics.registry, 'nestkit_circuit_breaker_transitions_total', { breaker: service, to: 'open' })).toBe(1);
    expect(await metricValue(platformMetrics.registry, 'nestkit_retries_total', { upstream: service })).toBe(2);
    expect(await metricValue(platformMetrics.registry, 'nestkit_registry_instances', { service })).toBe(1);
    expect(await metricValue(platformMetrics.registry, 'nestkit_bulkhead_in_flight', { upstream: service })).toBe(0);
    expect(listener.kinds()).toEqual(expect.arrayContaining(['retry', 'breaker-open']));

    await sut.close();
    // A closed client leaves the gauges.
    const { body } = await platformMetrics.exposition();
    expect(body).not.toContain(`upstream="${service}",instance="",scope="upstream"`);
  });
});
