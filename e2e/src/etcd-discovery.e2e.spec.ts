import { EtcdPlatform } from './etcd-platform';

/** Past the gateway's response cache (RFC 9111 request no-cache), so every read reaches an instance and shows the balancing. */
const NO_CACHE = { 'cache-control': 'no-cache' };

const TTL_MS = 3_000;

/**
 * Issue 3's proof on etcd: three catalog instances and a gateway, each its own process, find each other
 * through etcd (real server from scripts/infra). Traffic spreads over the three; one killed with
 * SIGKILL leaves the pool within its lease TTL; a restarted one joins again.
 */
describe('discovery through etcd', () => {
  let platform: EtcdPlatform;

  beforeAll(async () => {
    platform = await EtcdPlatform.start({ name: 'e2e', ttlMs: TTL_MS });
  });

  afterAll(async () => {
    await platform?.stop();
  });

  async function servedBy(requests: number): Promise<{ counts: Map<string, number>; errors: number }> {
    const counts = new Map<string, number>();
    let errors = 0;
    for (let i = 0; i < requests; i += 1) {
      const response = await fetch(`${platform.gateway}/api/catalog/products`, { headers: NO_CACHE, signal: AbortSignal.timeout(5_000) });
      await response.arrayBuffer();
      if (response.status !== 200) errors += 1;
      const id = response.headers.get('x-served-by') ?? 'none';
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    return { counts, errors };
  }

  it('spreads reads over the three, drops a SIGKILLed one within its TTL, and takes a restarted one back', async () => {
    const three = await platform.catalogIds();
    const even = await servedBy(30);
    expect(even.errors).toBe(0);
    expect([...even.counts.keys()].sort()).toEqual(three);
    expect([...even.counts.values()]).toEqual([10, 10, 10]);

    const victim = platform.catalogs[0];
    const killedAt = Date.now();
    await victim.stop('SIGKILL');
    const two = await platform.waitForCatalogs(2, `the killed instance to leave within its ${TTL_MS} ms lease`, TTL_MS + 5_000);
    const leftAfterMs = Date.now() - killedAt;
    expect(leftAfterMs).toBeLessThanOrEqual(TTL_MS + 2_000);
    const after = await servedBy(20);
    expect(after.errors).toBe(0);
    expect([...after.counts.keys()].sort()).toEqual(two);

    platform.startCatalog();
    const back = await platform.waitForCatalogs(3, 'the restarted instance to register', 30_000);
    const newcomer = back.find((id) => !two.includes(id)) as string;
    expect((await servedBy(30)).counts.get(newcomer)).toBe(10);
  });
});
