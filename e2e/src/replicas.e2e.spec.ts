import { waitFor } from '@nestkit/testing';
import { bootstrapAdmin } from './bootstrap-admin';
import { instanceIds } from './http';
import { PlatformProcess } from './platform-process';

/** Past the gateway's response cache (RFC 9111 request no-cache), so every read reaches an instance and shows the balancing. */
const NO_CACHE = { 'cache-control': 'no-cache' };

/**
 * Issue 3's proof on the embedded backend: three catalog instances share the traffic; one killed with
 * SIGKILL leaves the pool at once (its IPC channel closes) and the rest take all of it; the launcher
 * restarts it and the new instance joins.
 */
describe('replicas behind the gateway (embedded registry)', () => {
  let platform: PlatformProcess;
  let adminToken: string;

  beforeAll(async () => {
    const admin = bootstrapAdmin();
    platform = await PlatformProcess.start({ REPLICAS: 'catalog=3', ...admin.env });
    adminToken = await admin.token(`${platform.url}/api`);
  });

  afterAll(async () => {
    expect(await platform?.stop()).toBe(0);
  });

  const catalogInstances = () => instanceIds(platform.url, 'catalog', adminToken);

  async function servedBy(requests: number): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    for (let i = 0; i < requests; i += 1) {
      const response = await fetch(`${platform.url}/api/catalog/products`, { headers: NO_CACHE, signal: AbortSignal.timeout(5_000) });
      expect(response.status).toBe(200);
      await response.arrayBuffer();
      const id = response.headers.get('x-served-by') ?? 'unknown';
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    return counts;
  }

  it('spreads reads evenly over three instances, drops a killed one at once, and takes the restarted one back', async () => {
    const three = await catalogInstances();
    expect(three).toHaveLength(3);
    const even = await servedBy(30);
    expect([...even.keys()].sort()).toEqual([...three].sort());
    expect([...even.values()]).toEqual([10, 10, 10]);

    const catalogPids = platform.servicePids.slice(1, 4); // identity, then the three catalog replicas
    const killedAt = Date.now();
    process.kill(catalogPids[0], 'SIGKILL');
    const two = await waitFor(async () => ((await catalogInstances()).length === 2 ? catalogInstances() : undefined), {
      what: 'the killed catalog instance to leave the pool',
      timeoutMs: 5_000,
      intervalMs: 20,
    });
    expect(Date.now() - killedAt).toBeLessThan(2_000);
    const after = await servedBy(20);
    expect([...after.keys()].sort()).toEqual([...two].sort());

    const back = await waitFor(async () => ((await catalogInstances()).length === 3 ? catalogInstances() : undefined), {
      what: 'the launcher to restart the killed catalog instance',
      timeoutMs: 30_000,
      intervalMs: 100,
    });
    const newcomer = back.find((id) => !two.includes(id)) as string;
    expect(newcomer).toBeDefined();
    expect((await servedBy(30)).get(newcomer)).toBe(10);
  });
});
