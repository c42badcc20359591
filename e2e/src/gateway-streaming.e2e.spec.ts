import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, waitFor } from '@nestkit/testing';
import { StandaloneService } from './standalone-service';

const MB = 1024 * 1024;

/** Resident memory of a process, from /proc (Linux), in bytes. */
function rssOf(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(match?.[1] ?? 0) * 1024;
}

/**
 * Issue 10: a 20 MB download streams through the gateway, as deployed (its own process), with its RSS
 * growing < 10 MB, also with two such downloads at once (40 MB in flight: a gateway that buffered would
 * grow by at least that).
 *
 * The gateway runs with a 1 MB young generation here (`--max-semi-space-size=1`), so that what RSS shows
 * is what the gateway holds, not garbage V8 has not collected yet: relayed chunks die young, and with
 * V8's default young generation (up to 16 MB a semi-space) a first transfer of 20 MB leaves ~20 MB of
 * dead chunks in RSS until the next scavenge. The product runs with V8's defaults: a small young
 * generation costs about a third of the gateway's req/s (measured, see bench/RESULTS.md).
 */
describe('gateway streaming', () => {
  let upstream: Server;
  let gateway: StandaloneService;
  let url: string;
  let dir: string;

  beforeAll(async () => {
    upstream = createServer((req, res) => {
      req.resume();
      const size = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('mb') ?? 1) * MB;
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(size) });
      const chunk = Buffer.alloc(64 * 1024, 7);
      let sent = 0;
      const pump = () => {
        while (sent < size) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      pump();
    });
    upstream.listen(0, '127.0.0.1');
    await once(upstream, 'listening');
    dir = mkdtempSync(join(tmpdir(), 'nestkit-stream-'));
    const routes = join(dir, 'routes.yaml');
    writeFileSync(routes, 'routes:\n  - { path: /api/blobs/*, service: blobs, methods: [GET], rewrite: { stripPrefix: /api/blobs }, auth: public }\n');
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    gateway = StandaloneService.start('gateway', {
      PORT: String(port),
      HOST: '127.0.0.1',
      REGISTRY: 'static',
      STATIC_INSTANCES: `blobs=127.0.0.1:${(upstream.address() as AddressInfo).port}`,
      GATEWAY_ROUTES_FILE: routes,
      AUTH_JWKS_URL: 'http://127.0.0.1:9/.well-known/jwks.json',
      NODE_OPTIONS: '--max-semi-space-size=1',
    });
    await waitFor(async () => ((await fetch(`${url}/health/live`).catch(() => undefined))?.ok ? true : undefined), { what: `gateway at ${url}\n${gateway.logs}`, timeoutMs: 20_000 });
  }, 30_000);

  afterAll(async () => {
    await gateway?.stop();
    upstream?.closeAllConnections();
    upstream?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Downloads `mb` MB as a slow reader (a pause every chunk): the gateway must hold back the upstream, not buffer it. */
  async function slowDownload(mb: number): Promise<number> {
    const response = await fetch(`${url}/api/blobs/x?mb=${mb}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-length')).toBe(String(mb * MB));
    let bytes = 0;
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      bytes += chunk.length;
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    return bytes;
  }

  it.each([1, 2])('streams %i x 20 MB at once to slow readers with the gateway RSS growing by less than 10 MB', async (downloads) => {
    // Warm-up: pools, JIT and the first buffers are allocated before the baseline is taken.
    for (let i = 0; i < 3; i += 1) await (await fetch(`${url}/api/blobs/x?mb=2`)).arrayBuffer();
    const before = rssOf(gateway.pid);
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, rssOf(gateway.pid))), 10);
    let bytes: number[];
    try {
      bytes = await Promise.all(Array.from({ length: downloads }, () => slowDownload(20)));
    } finally {
      clearInterval(sampler);
    }
    expect(bytes).toEqual(bytes.map(() => 20 * MB));
    expect(peak - before, `gateway RSS ${before} -> peak ${peak}`).toBeLessThan(10 * MB);
  });
});
