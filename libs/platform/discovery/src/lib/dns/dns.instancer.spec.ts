import type { AppError } from '@nestkit/errors';
import type { ServiceInstance } from '../service-instance';
import { DnsInstancer } from './dns.instancer';
import { dnsError, FakeDnsLookup } from './fake.dns-lookup';

const NAME = '_http._tcp.catalog.default.svc.cluster.local';
const srv = (target: string, port = 4002) => ({ name: target, port, priority: 0, weight: 0 });
const ids = (instances: readonly ServiceInstance[]) => instances.map((i) => i.id);

describe(DnsInstancer.name, () => {
  let lookup: FakeDnsLookup;
  let errors: string[];
  let sut: DnsInstancer;

  beforeEach(() => {
    vi.useFakeTimers();
    lookup = new FakeDnsLookup();
    lookup.srvRecords.set(NAME, [srv('10.0.0.5'), srv('10.0.0.6')]);
    errors = [];
    const onError = (error: AppError, service: string) => errors.push(`${service}: ${error.code}`);
    sut = new DnsInstancer({ lookup, refreshMs: 1_000, onError });
  });

  afterEach(() => {
    sut.close();
    vi.useRealTimers();
  });

  it('answers [] on the first call and the looked-up list once ready', async () => {
    expect(sut.instances('catalog')).toEqual([]);
    expect(ids(await sut.ready('catalog'))).toEqual(['catalog@10.0.0.5:4002', 'catalog@10.0.0.6:4002']);
    expect(sut.instance('catalog@10.0.0.6:4002')).toMatchObject({ host: '10.0.0.6', port: 4002, status: 'up' });
  });

  it('serves reads from the cache without querying DNS', async () => {
    await sut.ready('catalog');
    const queries = lookup.queries;
    const first = sut.instances('catalog');
    expect(sut.instances('catalog')).toBe(first);
    expect(lookup.queries).toBe(queries);
  });

  it('polls every refreshMs and tells subscribers about changes only', async () => {
    const heard: string[][] = [];
    sut.subscribe('catalog', (instances) => heard.push(ids(instances)));
    await sut.ready('catalog');
    await vi.advanceTimersByTimeAsync(1_000);
    lookup.srvRecords.set(NAME, [srv('10.0.0.6')]);
    await vi.advanceTimersByTimeAsync(999);
    expect(heard).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(heard).toEqual([[], ['catalog@10.0.0.5:4002', 'catalog@10.0.0.6:4002'], ['catalog@10.0.0.6:4002']]);
    expect(sut.instance('catalog@10.0.0.5:4002')).toBeUndefined();
  });

  it('keeps the last list when a lookup fails, reports degraded once, and recovers', async () => {
    await sut.ready('catalog');
    const before = sut.instances('catalog');
    lookup.srvRecords.set(NAME, dnsError('ETIMEOUT'));
    await vi.advanceTimersByTimeAsync(3_000);
    expect(sut.instances('catalog')).toBe(before);
    expect(sut.status()).toMatchObject({ state: 'degraded', lastError: 'DNS lookup of catalog failed: ETIMEOUT', failing: { catalog: 'DNS lookup of catalog failed: ETIMEOUT' } });
    expect(errors).toEqual(['catalog: discovery.dns-lookup-failed']);
    lookup.srvRecords.set(NAME, [srv('10.0.0.5'), srv('10.0.0.6')]);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(sut.status()).toEqual({ state: 'connected', since: new Date(), failing: {} });
  });

  it('announces each status transition once, with the time it happened', async () => {
    const heard: string[] = [];
    const onStatusChange = (s: { state: string; since: Date; lastError?: string }) => heard.push(`${s.since.getTime() - start} ${s.state} ${s.lastError ?? ''}`.trim());
    const start = Date.now();
    const watched = new DnsInstancer({ lookup, refreshMs: 1_000, onStatusChange });
    await watched.ready('catalog');
    lookup.srvRecords.set(NAME, dnsError('ESERVFAIL'));
    await vi.advanceTimersByTimeAsync(3_000);
    lookup.srvRecords.set(NAME, [srv('10.0.0.5')]);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(heard).toEqual(['1000 degraded DNS lookup of catalog failed: ESERVFAIL', '4000 connected']);
    watched.close();
  });

  it('skips malformed records, reporting each once, and treats an answer with none usable as a failure', async () => {
    lookup.srvRecords.set(NAME, [srv('10.0.0.5'), srv('10.0.0.7', 0)]);
    await sut.ready('catalog');
    await vi.advanceTimersByTimeAsync(2_000);
    expect(ids(sut.instances('catalog'))).toEqual(['catalog@10.0.0.5:4002']);
    expect(errors).toEqual(['catalog: discovery.dns-malformed-record']);
    lookup.srvRecords.set(NAME, [srv('', 4002)]);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(ids(sut.instances('catalog'))).toEqual(['catalog@10.0.0.5:4002']);
    expect(errors.slice(1)).toEqual(['catalog: discovery.dns-malformed-record', 'catalog: discovery.dns-no-usable-record']);
    expect(sut.status().state).toBe('degraded');
  });

  it('keeps polling when a listener or the error reporter throws', async () => {
    const fail = () => {
      throw new Error('reporter down');
    };
    const throwing = new DnsInstancer({ lookup, refreshMs: 1_000, onError: fail, onStatusChange: fail });
    throwing.subscribe('catalog', (instances) => {
      if (instances.length > 0) throw new Error('listener bug');
    });
    await throwing.ready('catalog');
    lookup.srvRecords.set(NAME, dnsError('ETIMEOUT'));
    await vi.advanceTimersByTimeAsync(1_000);
    lookup.srvRecords.set(NAME, [srv('10.0.0.9')]);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(ids(throwing.instances('catalog'))).toEqual(['catalog@10.0.0.9:4002']);
    throwing.close();
  });

  it('stops polling and cancels queries on close', async () => {
    await sut.ready('catalog');
    sut.close();
    const queries = lookup.queries;
    await vi.advanceTimersByTimeAsync(10_000);
    expect(lookup.queries).toBe(queries);
    expect(lookup.cancelled).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('reports a service name DNS cannot carry instead of querying it', async () => {
    expect(await sut.ready('not_a_label')).toEqual([]);
    expect(errors).toEqual(['not_a_label: discovery.dns-invalid-service']);
    expect(lookup.queries).toBe(0);
  });

  it('needs a valid port with A records and a template with {service}', () => {
    expect(() => new DnsInstancer({ lookup, record: 'a' })).toThrow(expect.objectContaining({ code: 'discovery.dns-invalid-options' }));
    expect(() => new DnsInstancer({ lookup, name: 'catalog.internal' })).toThrow(expect.objectContaining({ code: 'discovery.dns-invalid-options' }));
    expect(new DnsInstancer({ lookup, record: 'a', port: 8080 }).status()).toMatchObject({ state: 'connected', failing: {} });
  });
});
