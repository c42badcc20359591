import { dnsError, FakeDnsLookup } from './fake.dns-lookup';
import { resolveDnsInstances } from './resolve-dns-instances';

const NAME = '_http._tcp.catalog.default.svc.cluster.local';

describe(resolveDnsInstances.name, () => {
  let lookup: FakeDnsLookup;

  beforeEach(() => {
    lookup = new FakeDnsLookup();
  });

  it('resolves SRV targets to addresses and sorts the instances by id', async () => {
    lookup.srvRecords.set(NAME, [
      { name: 'catalog-1.catalog', port: 4002, priority: 0, weight: 10 },
      { name: 'catalog-0.catalog', port: 4002, priority: 0, weight: 10 },
    ]);
    lookup.addressRecords.set('catalog-0.catalog', ['10.0.0.5']);
    lookup.addressRecords.set('catalog-1.catalog', ['10.0.0.6', '10.0.0.7']);
    const sut = await resolveDnsInstances(lookup, 'catalog', NAME, { record: 'srv', resolveTargets: true });
    expect(sut.instances.map((i) => i.id)).toEqual(['catalog@10.0.0.5:4002', 'catalog@10.0.0.6:4002', 'catalog@10.0.0.7:4002']);
    expect(sut.instances[0].metadata).toEqual({ target: 'catalog-0.catalog', priority: '0', weight: '10' });
    expect(sut.rejected).toEqual([]);
  });

  it('uses IP-literal targets as they are, and keeps names when told not to resolve', async () => {
    lookup.srvRecords.set(NAME, [
      { name: '10.0.0.5', port: 4002, priority: 0, weight: 0 },
      { name: 'catalog-1.catalog', port: 4012, priority: 0, weight: 0 },
    ]);
    const sut = await resolveDnsInstances(lookup, 'catalog', NAME, { record: 'srv', resolveTargets: false });
    expect(sut.instances.map((i) => i.host)).toEqual(['10.0.0.5', 'catalog-1.catalog']);
    expect(lookup.queries).toBe(1);
  });

  it('skips malformed answers and targets that do not resolve, keeping the rest', async () => {
    lookup.srvRecords.set(NAME, [
      { name: 'catalog-0.catalog', port: 4002, priority: 0, weight: 0 },
      { name: 'gone.catalog', port: 4002, priority: 0, weight: 0 },
      { name: 'catalog-2.catalog', port: 0, priority: 0, weight: 0 },
    ]);
    lookup.addressRecords.set('catalog-0.catalog', ['10.0.0.5']);
    const sut = await resolveDnsInstances(lookup, 'catalog', NAME, { record: 'srv', resolveTargets: true });
    expect(sut.instances.map((i) => i.id)).toEqual(['catalog@10.0.0.5:4002']);
    expect(sut.rejected.map((r) => r.reason)).toEqual(['port must be between 1 and 65535', 'target does not resolve (ENOTFOUND)']);
  });

  it('maps A and AAAA answers to the fixed port', async () => {
    lookup.addressRecords.set('catalog.default/4', ['10.0.0.6', '10.0.0.5', '10.0.0.5']);
    lookup.addressRecords.set('catalog.default/6', ['fd00::5']);
    const a = await resolveDnsInstances(lookup, 'catalog', 'catalog.default', { record: 'a', port: 8080 });
    const aaaa = await resolveDnsInstances(lookup, 'catalog', 'catalog.default', { record: 'aaaa', port: 8080 });
    expect(a.instances.map((i) => i.id)).toEqual(['catalog@10.0.0.5:8080', 'catalog@10.0.0.6:8080']);
    expect(aaaa.instances.map((i) => i.id)).toEqual(['catalog@[fd00::5]:8080']);
  });

  it('rejects when the query itself fails', async () => {
    lookup.srvRecords.set(NAME, dnsError('ESERVFAIL'));
    await expect(resolveDnsInstances(lookup, 'catalog', NAME, { record: 'srv', resolveTargets: true })).rejects.toMatchObject({ code: 'ESERVFAIL' });
  });
});
