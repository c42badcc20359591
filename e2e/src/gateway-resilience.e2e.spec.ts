import { once } from 'node:events';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort, waitFor } from '@nestkit/testing';
import { AutocannonFlood } from './autocannon.flood';
import { type Condition, type FlipWindow, flipWindows } from './flipping.windows';
import { isolationResult } from './isolation.report';
import { OpenLoopSampler } from './open-loop.sampler';
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

/** Measured healthy/hung window pairs; `GATEWAY_ISOLATION_PAIRS` overrides it (see the test for the choice). */
const PAIRS = positiveInteger('GATEWAY_ISOLATION_PAIRS', 24);
/** The compared part of each window: long enough for a hung upstream to saturate the gateway's side of it. */
const WINDOW_MS = 3_000;
/** Dropped at the start of every window, healthy and hung alike. */
const SKIP_MS = 500;

/** The positive integer in environment variable `name`, or `fallback` when it is unset. */
function positiveInteger(name: string, fallback: number): number {
  const text = process.env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer (a number of window pairs), got "${text}"`);
  return value;
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
      // The platform's routes with hedging switched on for /api/notifications only.
      GATEWAY_ROUTES_FILE: hedgedRoutesFile(),
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
    // Catalog gets 150 req/s from 100 clients throughout while it flips between healthy and hung; identity
    // is called open-loop at 200 req/s all along. Each window's identity p99 is computed on its own and the
    // medians over each condition's windows are compared, so drifts in machine load fall on both alike and
    // no single noisy window decides. Compared is each condition's steady state: a window starts once the
    // flip shows at the edge (a hung catalog's calls fail; a healthy one's succeed 20 times in a row, as
    // after an outage the gateway's breakers may stay open for 5-10 s and a baseline taken then would be a
    // shed catalog), and its first 500 ms are dropped in both conditions alike: that is the transition the
    // test's own flipping causes (catalog's recovery burst, hung calls piling up to their 500 ms timeout),
    // not the state being compared. 3 s windows, as a hung catalog takes over a second to saturate its side
    // of the gateway; the first pair is a warm-up (the flood starting, JIT, pools) and is not compared.
    // 24 pairs (about 4 minutes): per-window p99s spread widely (p10-p90 95-204 ms healthy, 78-170 ms hung
    // over 90 measured pairs; the gateway itself, on a 2-core machine, is the noise), and resampling those
    // windows 24 per condition put the ratio of medians above 1.1 in 0.02% of draws (measured: 0.75-0.88).
    // Once breakers stopped flapping after an outage (healthy windows now fully healthy), a CI run measured
    // 0.96 with a load drift over the run; the median of per-pair ratios (0.88 there) cancels such drift,
    // and resampling that run's pairs put it above 1.1 in 0.24% of draws (the ratio of medians: 5.5%).
    const flood = AutocannonFlood.start(`${url}/api/catalog/products`, 100, 150);
    const identity = OpenLoopSampler.start(`${url}/api/identity/me`, 200, auth);
    const probe = OpenLoopSampler.start(`${url}/api/catalog/products`, 20, auth);
    let windows: FlipWindow[];
    try {
      const setHung = (hung: boolean) => (catalog.control.hang = hung);
      windows = await flipWindows({ pairs: PAIRS, warmUpPairs: 1, windowMs: WINDOW_MS, skipMs: SKIP_MS, setHung, probe, healthyRun: 20, settleTimeoutMs: 30_000 });
    } finally {
      catalog.control.hang = false;
      await Promise.all([flood.stop(), identity.stop(), probe.stop()]);
    }
    const result = isolationResult(windows, identity, probe);
    console.info(result.report);

    expect(identity.failures(200), `identity calls that did not answer 200\n${result.report}`).toEqual([]);
    const thin = result.windows.filter((window) => window.calls < (WINDOW_MS / 1_000) * 200 * 0.8);
    expect(thin, `windows with too few identity calls\n${result.report}`).toEqual([]);
    // Catalog really was saturated in every hung window (its callers got 503 from the breaker or the
    // bulkhead, or 504 at the 500 ms timeout) and really was healthy in every healthy one, so the test
    // cannot pass by the flood missing a hung catalog, nor by comparing against a shed baseline.
    const statuses = (condition: Condition) => result.windows.filter((w) => w.condition === condition).map((w) => Object.keys(w.flippedStatuses));
    expect(statuses('hung').filter((seen) => seen.length === 0 || seen.some((s) => s !== '503' && s !== '504')), result.report).toEqual([]);
    const shed = result.windows.filter((w) => w.condition === 'healthy' && (w.flippedStatuses['200'] ?? 0) < 0.9 * Object.values(w.flippedStatuses).reduce((a, b) => a + b, 0));
    expect(shed, result.report).toEqual([]);
    // Paired: each hung window against the healthy window just before it, so drifts in machine load over
    // the four minutes (seen in CI: both conditions' p99s rising together) cancel out.
    expect(result.medianPairRatio, result.report).toBeLessThanOrEqual(1.1);
  }, (PAIRS + 1) * 25_000 + 30_000);

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

/** config/gateway.routes.yaml with `hedge: true` on the notifications route, in a temporary file. */
function hedgedRoutesFile(): string {
  const routes = readFileSync(resolve(__dirname, '../../config/gateway.routes.yaml'), 'utf8');
  const hedged = routes.replace('service: notifications,', 'service: notifications, hedge: true,');
  if (hedged === routes) throw new Error('config/gateway.routes.yaml has no notifications route to hedge');
  const file = join(mkdtempSync(join(tmpdir(), 'nestkit-hedge-')), 'routes.yaml');
  writeFileSync(file, hedged);
  return file;
}
