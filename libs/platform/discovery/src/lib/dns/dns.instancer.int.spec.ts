import type { AppError } from '@nestkit/errors';
import type { ServiceInstance } from '../service-instance';
import { DnsInstancer } from './dns.instancer';
import { type DnsRecords, type RunningDnsmasq, startDnsmasq } from './dnsmasq.fixture';

// Each test runs its own dnsmasq on a free port (see README: dnsmasq does not reload SRV records).
const SRV = '_http._tcp.catalog.default.svc.cluster.local';
const pod = (n: number) => `catalog-${n}.catalog.default.svc.cluster.local`;
const REFRESH_MS = 200;
const threeTargets = [0, 1, 2].map((n) => ({ name: SRV, target: pod(n), port: 4002 + n * 10, weight: 10 }));
const threePods: DnsRecords = {
  srv: threeTargets,
  hosts: { [pod(0)]: ['127.0.0.10'], [pod(1)]: ['127.0.0.11'], [pod(2)]: ['127.0.0.12'] },
};
const ids = (instances: readonly ServiceInstance[]) => instances.map((i) => i.id);

describe(`${DnsInstancer.name} against dnsmasq`, () => {
  let dns: RunningDnsmasq;
  let errors: AppError[];
  let sut: DnsInstancer;

  async function start(records: DnsRecords, options: { record?: 'a'; port?: number } = {}): Promise<void> {
    dns = await startDnsmasq(records);
    errors = [];
    sut = new DnsInstancer({ servers: [dns.server], refreshMs: REFRESH_MS, timeoutMs: 200, tries: 1, onError: (e) => errors.push(e), ...options });
  }

  // Resolves with the next list a subscriber hears after the one it got at once.
  function nextChange(service: string): Promise<readonly ServiceInstance[]> {
    return new Promise((resolve) => {
      let first = true;
      const unsubscribe = sut.subscribe(service, (instances) => {
        if (first) return void (first = false);
        unsubscribe();
        resolve(instances);
      });
    });
  }

  afterEach(async () => {
    sut?.close();
    await dns?.dispose();
  });

  it('maps an SRV name with three targets to three instances', async () => {
    await start(threePods);
    const instances = await sut.ready('catalog');
    expect(instances.map((i) => `${i.host}:${i.port}`)).toEqual(['127.0.0.10:4002', '127.0.0.11:4012', '127.0.0.12:4022']);
    expect(ids(instances)).toEqual(['catalog@127.0.0.10:4002', 'catalog@127.0.0.11:4012', 'catalog@127.0.0.12:4022']);
    expect(instances[0].metadata).toEqual({ target: pod(0), priority: '0', weight: '10' });
    expect(sut.status()).toMatchObject({ state: 'connected', failing: {} });
  });

  it('meets the Instancer read contract: per service, by id, subscriber hears at once', async () => {
    await start({ ...threePods, srv: [...threeTargets, { name: '_http._tcp.orders.default.svc.cluster.local', target: '127.0.0.20', port: 4003 }] });
    await Promise.all([sut.ready('catalog'), sut.ready('orders'), sut.ready('billing')]);
    expect(ids(sut.instances('orders'))).toEqual(['orders@127.0.0.20:4003']);
    expect(sut.instances('billing')).toEqual([]);
    expect(sut.instance('catalog@127.0.0.11:4012')).toMatchObject({ service: 'catalog', status: 'up' });
    expect(sut.instance('missing')).toBeUndefined();
    const heard: string[][] = [];
    sut.subscribe('catalog', (instances) => heard.push(ids(instances)));
    expect(heard).toEqual([ids(sut.instances('catalog'))]);
  });

  it('tells subscribers when a record is removed', async () => {
    await start(threePods);
    await sut.ready('catalog');
    const changed = nextChange('catalog');
    await dns.reconfigure({ ...threePods, srv: threeTargets.slice(0, 2) });
    expect(ids(await changed)).toEqual(['catalog@127.0.0.10:4002', 'catalog@127.0.0.11:4012']);
  });

  it('keeps the last list and reports degraded while the DNS server is down', async () => {
    await start(threePods);
    const before = await sut.ready('catalog');
    await dns.stop();
    await vi.waitFor(() => expect(sut.status().state).toBe('degraded'), { timeout: 5_000, interval: 50 });
    expect(sut.instances('catalog')).toBe(before);
    expect(errors.map((e) => e.code)).toEqual(['discovery.dns-lookup-failed']);
    await dns.restart();
    await vi.waitFor(() => expect(sut.status().state).toBe('connected'), { timeout: 5_000, interval: 50 });
  });

  it('skips a malformed record and keeps the good ones', async () => {
    await start({ ...threePods, raw: [`srv-host=${SRV},${pod(3)},0`, `srv-host=${SRV}`] });
    expect(ids(await sut.ready('catalog'))).toHaveLength(3);
    await new Promise((resolve) => setTimeout(resolve, REFRESH_MS * 3));
    expect(errors.map((e) => e.code)).toEqual(['discovery.dns-malformed-record', 'discovery.dns-malformed-record']);
    // dnsmasq rotates the order of its answers, so compare as a set.
    expect(errors.map((e) => e.message.replace(/^.*: /, '')).sort()).toEqual(['empty target', 'port must be between 1 and 65535']);
  });

  it('reports an unknown name (NXDOMAIN) as a failure, not as an empty fleet', async () => {
    await start(threePods);
    expect(await sut.ready('billing')).toEqual([]);
    expect(sut.status().failing).toEqual({ billing: 'DNS lookup of billing failed: ENOTFOUND' });
  });

  it('resolves A records with a fixed port', async () => {
    await start({ hosts: { 'catalog.default.svc.cluster.local': ['127.0.0.10', '127.0.0.11'] } }, { record: 'a', port: 8080 });
    expect(ids(await sut.ready('catalog'))).toEqual(['catalog@127.0.0.10:8080', 'catalog@127.0.0.11:8080']);
  });
});
