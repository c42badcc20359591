import { UnavailableError } from '@nestkit/errors';
import { infraUrls, uniqueName, waitFor } from '@nestkit/testing';
import { ids } from '../../testing';
import { anInstance } from '../instance.fixture';
import { EtcdHttpClient } from './etcd-http.client';
import type { EtcdRegistryOptions, MalformedEntry } from './etcd-registry.options';
import { EtcdRegistry } from './etcd.registry';

const url = infraUrls().etcdUrl;
const TTL_MS = 2_000;
let prefix: string;
const opened: EtcdRegistry[] = [];

async function aRegistry(options: Partial<EtcdRegistryOptions> = {}): Promise<EtcdRegistry> {
  const registry = new EtcdRegistry({ url, prefix, ...options });
  opened.push(registry);
  await registry.start();
  return registry;
}

beforeEach(() => {
  prefix = `/nestkit-test/${uniqueName('discovery')}/`;
});

afterEach(async () => {
  await Promise.all(opened.splice(0).map((registry) => registry.close()));
});

describe(`${EtcdRegistry.name} failures`, () => {
  it('keeps an instance alive past its TTL while the owner renews the lease', async () => {
    const owner = await aRegistry();
    const observer = await aRegistry();
    await owner.register(anInstance({ id: 'c1' }), { ttlMs: TTL_MS });
    await new Promise((resolve) => setTimeout(resolve, TTL_MS + 1_000));
    expect(ids(observer.instances('catalog'))).toEqual(['c1']);
  });

  it('drops an instance whose owner died without deregistering between TTL and TTL + 2 s', async () => {
    const owner = await aRegistry();
    const observer = await aRegistry();
    const before = Date.now();
    await owner.register(anInstance({ id: 'c1' }), { ttlMs: TTL_MS });
    await waitFor(() => observer.instance('c1'), { what: 'the observer to see c1' });
    await owner.close({ revoke: false });

    await waitFor(() => observer.instance('c1') === undefined, { what: 'c1 to expire', timeoutMs: TTL_MS + 3_000, intervalMs: 20 });

    // The lease was granted after `before` and never renewed, so it cannot have expired sooner than TTL.
    const elapsed = Date.now() - before;
    expect(elapsed).toBeGreaterThanOrEqual(TTL_MS);
    expect(elapsed).toBeLessThanOrEqual(TTL_MS + 2_000);
  });

  it('skips and reports malformed entries, at start and while watching', async () => {
    const raw = new EtcdHttpClient({ url, timeoutMs: 3_000 });
    // A lease, so that these hand-written keys leave the shared etcd after the test.
    const lease = await raw.grant(10);
    const malformed: MalformedEntry[] = [];
    await raw.put(`${prefix}catalog/not-json`, '{oops', lease);
    const sut = await aRegistry({ onMalformed: (entry) => malformed.push(entry) });
    await raw.put(`${prefix}catalog/bad-port`, JSON.stringify({ ...anInstance({ id: 'bad-port' }), port: 70_000 }), lease);
    await raw.put(`${prefix}catalog/elsewhere`, JSON.stringify(anInstance({ id: 'other-id' })), lease);
    await sut.register(anInstance({ id: 'c1' }));

    expect(ids(sut.instances('catalog'))).toEqual(['c1']);
    expect(malformed.map((entry) => entry.key.slice(prefix.length))).toEqual(['catalog/not-json', 'catalog/bad-port', 'catalog/elsewhere']);
    expect(malformed.map((entry) => entry.reason)).toEqual([
      'value is not JSON',
      expect.stringContaining('port:'),
      'service/id do not match the key',
    ]);
  });

  it('serves the last known list while etcd is unreachable, then republishes an expired lease', async () => {
    let unreachable = false;
    const flaky: typeof fetch = (input, init) => (unreachable ? Promise.reject(new TypeError('fetch failed')) : fetch(input, init));
    const sut = await aRegistry({ fetch: flaky, probeIntervalMs: 100, reconnect: { initialMs: 50, maxMs: 200 } });
    const other = await aRegistry();
    await sut.register(anInstance({ id: 'c1' }), { ttlMs: TTL_MS });
    await other.register(anInstance({ id: 'c2', port: 4012 }));
    await waitFor(() => sut.instances('catalog').length === 2, { what: 'both instances' });
    expect(sut.status().state).toBe('connected');

    unreachable = true;
    await waitFor(() => sut.status().state === 'degraded', { what: 'degraded status' });
    expect(sut.status().lastError).toMatch(/fetch failed/);
    await expect(sut.register(anInstance({ id: 'c3', port: 4022 }))).rejects.toBeInstanceOf(UnavailableError);
    await waitFor(() => other.instance('c1') === undefined, { what: 'c1 lease to expire', timeoutMs: TTL_MS + 3_000 });
    expect(ids(sut.instances('catalog'))).toEqual(['c1', 'c2']);

    unreachable = false;
    await waitFor(() => other.instance('c1'), { what: 'c1 to be published again', timeoutMs: TTL_MS + 3_000 });
    await waitFor(() => sut.status().state === 'connected', { what: 'connected status' });
    expect(sut.status().lastError).toBeUndefined();
    expect(ids(sut.instances('catalog'))).toEqual(['c1', 'c2']);
  });
});
