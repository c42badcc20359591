import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, infraUrls, uniqueName, waitFor } from '@nestkit/testing';
import { instanceIds } from './http';
import { StandaloneService } from './standalone-service';
import { TestIdentity } from './test-identity';

const TTL_MS = 3_000;

/**
 * Issue 3's proof on etcd: three catalog instances and a gateway, each its own process, find each other
 * through etcd (real server from scripts/infra). Traffic spreads over the three; one killed with
 * SIGKILL leaves the pool within its lease TTL; a restarted one joins again.
 */
describe('discovery through etcd', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'nestkit-etcd-e2e-'));
  const env = { REGISTRY: 'etcd', ETCD_URL: infraUrls().etcdUrl, ETCD_PREFIX: `/${uniqueName('e2e')}/`, REGISTRATION_TTL_MS: String(TTL_MS) };
  const processes: StandaloneService[] = [];
  let gateway: string;
  let identity: TestIdentity;
  let adminToken: string;

  const catalog = (n: number) => {
    const service = StandaloneService.start('catalog', { ...env, ...identity.serviceEnv(), PORT: '0', DATABASE_URL: `sqlite:${dataDir}/catalog-${n}.db` });
    processes.push(service);
    return service;
  };
  const catalogIds = () => instanceIds(gateway, 'catalog', adminToken);
  const waitForCount = (count: number, what: string, timeoutMs = 20_000) =>
    waitFor(async () => {
      const ids = await catalogIds();
      return ids.length === count ? ids : undefined;
    }, { what, timeoutMs, intervalMs: 50 });

  beforeAll(async () => {
    const port = await freePort();
    gateway = `http://127.0.0.1:${port}`;
    identity = await TestIdentity.start();
    adminToken = await identity.adminToken();
    processes.push(StandaloneService.start('gateway', { ...env, ...identity.gatewayEnv(), PORT: String(port) }));
    [1, 2, 3].forEach(catalog);
    await waitFor(async () => (await fetch(`${gateway}/health/ready`).catch(() => undefined))?.ok, { what: 'the gateway to be ready', timeoutMs: 30_000 });
    await waitForCount(3, 'three catalog instances in etcd', 30_000);
  });

  afterAll(async () => {
    await Promise.all(processes.map((p) => p.stop('SIGKILL')));
    identity?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function servedBy(requests: number): Promise<{ counts: Map<string, number>; errors: number }> {
    const counts = new Map<string, number>();
    let errors = 0;
    for (let i = 0; i < requests; i += 1) {
      const response = await fetch(`${gateway}/api/catalog/products`, { signal: AbortSignal.timeout(5_000) });
      await response.arrayBuffer();
      if (response.status !== 200) errors += 1;
      const id = response.headers.get('x-served-by') ?? 'none';
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    return { counts, errors };
  }

  it('spreads reads over the three, drops a SIGKILLed one within its TTL, and takes a restarted one back', async () => {
    const three = await catalogIds();
    const even = await servedBy(30);
    expect(even.errors).toBe(0);
    expect([...even.counts.keys()].sort()).toEqual(three);
    expect([...even.counts.values()]).toEqual([10, 10, 10]);

    const victim = processes[1];
    const killedAt = Date.now();
    await victim.stop('SIGKILL');
    const two = await waitForCount(2, `the killed instance to leave within its ${TTL_MS} ms lease`, TTL_MS + 5_000);
    const leftAfterMs = Date.now() - killedAt;
    expect(leftAfterMs).toBeLessThanOrEqual(TTL_MS + 2_000);
    const after = await servedBy(20);
    expect(after.errors).toBe(0);
    expect([...after.counts.keys()].sort()).toEqual(two);

    catalog(4);
    const back = await waitForCount(3, 'the restarted instance to register', 30_000);
    const newcomer = back.find((id) => !two.includes(id)) as string;
    expect((await servedBy(30)).counts.get(newcomer)).toBe(10);
  });
});
