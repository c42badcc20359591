import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { InMemoryRegistry } from '@nestkit/discovery';
import { anInstance } from '@nestkit/discovery/testing';
import { TimeoutError } from '@nestkit/errors';
import { RoundRobinBalancer } from '@nestkit/load-balancing';
import { RECOMMENDED_UPSTREAM_POLICY } from '@nestkit/resilience';
import { HttpClient } from './http-client';

/** Issue 4: a hung upstream costs each caller its budget and nothing more: no socket outlives its call. */
describe(`${HttpClient.name} against an upstream that never answers`, () => {
  let server: Server;
  const holding = new Set<Socket>();
  let received = 0;

  beforeAll(async () => {
    server = createServer((req) => {
      received += 1;
      holding.add(req.socket);
      req.socket.once('close', () => holding.delete(req.socket));
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
  });
  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });

  it('times out 1,000 hung calls within their budget and leaves no socket holding a request', async () => {
    const registry = new InMemoryRegistry();
    await registry.register(anInstance({ id: 'hung', port: (server.address() as AddressInfo).port }));
    const sut = new HttpClient({
      service: 'catalog',
      instancer: registry,
      balancer: new RoundRobinBalancer(),
      timeoutMs: 100,
      policy: { ...RECOMMENDED_UPSTREAM_POLICY, timeoutMs: 100, breaker: undefined },
    });
    // Event-loop stalls (a busy CI box) are reported with a failure, so a slow machine is told apart from a slow client.
    const loopDelay = monitorEventLoopDelay({ resolution: 10 });
    loopDelay.enable();
    const slowest: number[] = [];
    for (let batch = 0; batch < 10; batch += 1) {
      // Call i starts i ms into the batch, so ~100 calls are in flight but their deadlines are spread over
      // 100 ms, as with real traffic, instead of all expiring in one tick and queueing behind each other.
      const results = await Promise.all(
        Array.from({ length: 100 }, async (_, i) => {
          await sleep(i);
          const started = performance.now();
          const error = await sut.request({ path: '/hang' }).catch((e: unknown) => e);
          return { error, elapsed: performance.now() - started };
        }),
      );
      expect(results.every((r) => r.error instanceof TimeoutError)).toBe(true);
      slowest.push(Math.max(...results.map((r) => r.elapsed)));
    }
    loopDelay.disable();
    // Budget 100 ms; the issue allows timeout + 100 ms per call.
    const maxLoopDelayMs = Math.round(loopDelay.max / 1e6);
    expect(Math.max(...slowest), `slowest call per batch ${slowest.map(Math.round).join(', ')} ms; max event-loop delay ${maxLoopDelayMs} ms`).toBeLessThan(200);
    // No attempt outlives the 100 ms deadline, so none is retried (a call may also time out while connecting).
    expect(received).toBeGreaterThan(0);
    expect(received).toBeLessThanOrEqual(1_000);
    await vi.waitFor(() => expect(holding.size).toBe(0), { timeout: 5_000 });
  });
});
