import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { freePort, waitFor } from '@nestkit/testing';
import { StandaloneService } from './standalone-service';
import { TestIdentity } from './test-identity';

/** Headers of every measured call: the routes sampled here need a user token at the edge. */
const auth: Record<string, string> = {};

/**
 * A loopback upstream: answers after `delayMs`, or never while `hang` is set, counting requests and
 * requests dropped unanswered.
 */
async function upstream(delayMs: number, options: { hang?: boolean } = {}) {
  const stats = { hits: 0, abandoned: 0 };
  const control = { hang: options.hang ?? false };
  const server = createServer((req, res) => {
    stats.hits += 1;
    if (control.hang) return;
    const timer = setTimeout(() => res.end(JSON.stringify({ path: req.url })), delayMs);
    res.once('close', () => {
      if (!res.writableFinished) stats.abandoned += 1;
      clearTimeout(timer);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, stats, control, address: `127.0.0.1:${(server.address() as AddressInfo).port}` };
}

const WINDOWS = 6;
const WINDOW_S = 3;

/**
 * Calls `url` open-loop at 200 requests/s for `durationMs` and returns each call's latency in ms; a
 * failed or non-2xx call throws, so an error on the measured route fails the proof.
 */
async function sample(url: string, durationMs: number): Promise<number[]> {
  const latencies: number[] = [];
  const calls: Promise<void>[] = [];
  const started = performance.now();
  for (let i = 0; performance.now() - started < durationMs; i += 1) {
    const sent = performance.now();
    calls.push(
      fetch(url, { headers: auth, signal: AbortSignal.timeout(5_000) }).then(async (response) => {
        await response.arrayBuffer();
        if (!response.ok) throw new Error(`${url} answered ${response.status}`);
        latencies.push(performance.now() - sent);
      }),
    );
    const next = started + (i + 1) * 5;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, next - performance.now())));
  }
  await Promise.all(calls);
  return latencies;
}

/** The q-quantile (0..1) of `values` by nearest rank. */
function percentile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] as number;
}

/** Floods `url` from a separate process, so the flood's clients do not share the measuring client's event loop. */
async function flood(url: string, connections: number, rate: number, seconds: number): Promise<{ total: number; non2xx: number; ok: number; timeouts: number }> {
  const cli = require.resolve('autocannon/autocannon.js');
  const child = spawn(process.execPath, [cli, '-j', '-c', String(connections), '-R', String(rate), '-d', String(seconds), '-t', '5', url], { stdio: ['ignore', 'pipe', 'ignore'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await once(child, 'exit');
  const result = JSON.parse(output) as { requests: { total: number }; non2xx: number; '2xx': number; timeouts: number };
  return { total: result.requests.total, non2xx: result.non2xx, ok: result['2xx'], timeouts: result.timeouts };
}

/**
 * Issue 4's isolation and hedging proofs at the edge, with the gateway in its own process (as deployed) and
 * loopback upstreams: identity answers in 50 ms, catalog hangs, notifications and orders each have a slow
 * (1 s) and a fast instance, with hedging switched on for /api/notifications only.
 */
describe('gateway resilience', () => {
  const servers: Server[] = [];
  let gateway: StandaloneService;
  let url: string;
  let slow: Awaited<ReturnType<typeof upstream>>;
  let catalog: Awaited<ReturnType<typeof upstream>>;
  let tokens: TestIdentity;

  beforeAll(async () => {
    // Only the key set: the upstreams here are loopback fakes that ask for no service token.
    tokens = await TestIdentity.start();
    auth['authorization'] = `Bearer ${await tokens.userToken()}`;
    const identity = await upstream(50);
    catalog = await upstream(50);
    slow = await upstream(1_000);
    const fast = await upstream(5);
    servers.push(identity.server, catalog.server, slow.server, fast.server);
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    gateway = StandaloneService.start('gateway', {
      PORT: String(port),
      HOST: '127.0.0.1',
      REGISTRY: 'static',
      STATIC_INSTANCES: [
        `identity=${identity.address}`,
        `catalog=${catalog.address}`,
        `notifications=${slow.address},${fast.address}`,
        `orders=${slow.address},${fast.address}`,
      ].join(';'),
      UPSTREAM_TIMEOUT_MS: '3000',
      // Catalog's own policy from config: 500 ms per attempt, so a hung catalog trips its breaker within a window.
      UPSTREAM_POLICIES: JSON.stringify({ catalog: { timeoutMs: 500 } }),
      HEDGED_ROUTES: '/api/notifications',
      ...tokens.serviceEnv(),
      LOG_LEVEL: process.env['GW_LOG'] ?? 'warn',
    });
    await waitFor(async () => ((await fetch(`${url}/health/ready`).catch(() => undefined))?.ok ? true : undefined), {
      what: `gateway ready at ${url}\n${gateway.logs}`,
      timeoutMs: 20_000,
    });
  }, 30_000);

  afterAll(async () => {
    await gateway?.stop();
    tokens?.close();
    for (const server of servers) {
      server.closeAllConnections();
      server.close();
    }
  });

  it('keeps the p99 of another route within 10% of its baseline while one upstream is saturated', async () => {
    // Catalog gets the same 150 req/s from 100 clients throughout while its health flips between healthy
    // and hung every 2 s; identity's latency is sampled open-loop at 200 req/s and pooled per condition, so
    // the comparison shows what catalog's saturation costs the other route, and slow drifts in machine load
    // (other test files, other processes) fall on both conditions alike.
    const flooding = flood(`${url}/api/catalog/products`, 100, 150, WINDOWS * WINDOW_S + 2);
    await sample(`${url}/api/identity/me`, 1_000); // warm-up: JIT, connection pools
    const latencies = { healthy: [] as number[], hung: [] as number[] };
    for (let window = 0; window < WINDOWS; window += 1) {
      const condition = window % 2 === 0 ? 'healthy' : 'hung';
      catalog.control.hang = condition === 'hung';
      latencies[condition].push(...(await sample(`${url}/api/identity/me`, WINDOW_S * 1_000)));
    }
    const catalogTraffic = await flooding;
    const p99 = { healthy: percentile(latencies.healthy, 0.99), hung: percentile(latencies.hung, 0.99) };

    console.info(
      `identity p99 ${p99.healthy.toFixed(1)} ms with catalog healthy, ${p99.hung.toFixed(1)} ms with catalog hung ` +
        `(ratio ${(p99.hung / p99.healthy).toFixed(3)}, ${latencies.healthy.length}/${latencies.hung.length} samples); catalog traffic ${JSON.stringify(catalogTraffic)}`,
    );
    expect(latencies.healthy.length).toBeGreaterThan(WINDOWS * WINDOW_S * 80);
    expect(latencies.hung.length).toBeGreaterThan(WINDOWS * WINDOW_S * 80);
    // Catalog really was saturated half the time: many of its calls were refused (503) or timed out (504).
    expect(catalogTraffic.non2xx + catalogTraffic.timeouts).toBeGreaterThan(100);
    expect(p99.hung).toBeLessThanOrEqual(p99.healthy * 1.1);
  }, 60_000);

  it('hedges reads on a hedged route: the fast instance answers, the slow attempt is abandoned', async () => {
    const abandonedBefore = slow.stats.abandoned;
    const latencies: number[] = [];
    for (let i = 0; i < 10; i += 1) {
      const started = performance.now();
      const response = await fetch(`${url}/api/notifications?i=${i}`, { headers: auth, signal: AbortSignal.timeout(5_000) });
      latencies.push(performance.now() - started);
      expect(response.status).toBe(200);
      await response.arrayBuffer();
    }
    // Round robin sends half the first attempts to the slow instance (1 s); each is hedged well before that.
    expect(Math.max(...latencies)).toBeLessThan(500);
    await waitFor(async () => (slow.stats.abandoned - abandonedBefore >= 5 ? true : undefined), { what: 'slow attempts abandoned', timeoutMs: 3_000 });
  });

  it('does not hedge a route that did not opt in, nor a write on a hedged one', async () => {
    const reads = await Promise.all([0, 1].map(async () => {
      const started = performance.now();
      await (await fetch(`${url}/api/orders`, { headers: auth, signal: AbortSignal.timeout(5_000) })).arrayBuffer();
      return performance.now() - started;
    }));
    // One of the two reads went to the slow instance and waited for it.
    expect(Math.max(...reads)).toBeGreaterThanOrEqual(990);
    const writes = await Promise.all([0, 1].map(async () => {
      const response = await fetch(`${url}/api/notifications`, { method: 'POST', body: '{}', headers: { ...auth, 'content-type': 'application/json' }, signal: AbortSignal.timeout(5_000) });
      return response.headers.get('x-served-by');
    }));
    expect(new Set(writes).size).toBe(2);
  });
});
