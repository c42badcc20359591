import { checkSrvAnswers, dnsInstance, srvMetadata } from './dns-records';

const NAME = '_http._tcp.catalog.default.svc.cluster.local';

describe(checkSrvAnswers.name, () => {
  it('keeps answers with a target and a port in range', () => {
    const answer = { name: 'catalog-0.catalog', port: 4002, priority: 0, weight: 10 };
    expect(checkSrvAnswers(NAME, [answer])).toEqual({ usable: [answer], rejected: [] });
  });

  it('skips port 0, ports past 65535 and the empty target, saying which and why', () => {
    const sut = checkSrvAnswers(NAME, [
      { name: 'a', port: 0, priority: 0, weight: 0 },
      { name: 'b', port: 70_000, priority: 0, weight: 0 },
      { name: '', port: 4002, priority: 1, weight: 5 },
    ]);
    expect(sut.usable).toEqual([]);
    expect(sut.rejected).toEqual([
      { record: `${NAME} SRV 0 0 0 a`, reason: 'port must be between 1 and 65535' },
      { record: `${NAME} SRV 0 0 70000 b`, reason: 'port must be between 1 and 65535' },
      { record: `${NAME} SRV 1 5 4002 .`, reason: 'empty target' },
    ]);
  });
});

describe(dnsInstance.name, () => {
  it('derives a stable id from service, host and port; DNS knows no version or zone', () => {
    expect(dnsInstance('catalog', '10.0.0.5', 4002, { weight: '10' })).toEqual({
      id: 'catalog@10.0.0.5:4002',
      service: 'catalog',
      host: '10.0.0.5',
      port: 4002,
      version: '',
      metadata: { weight: '10' },
      status: 'up',
    });
  });

  it('brackets IPv6 hosts in the id only', () => {
    const sut = dnsInstance('catalog', 'fd00::5', 4002);
    expect(sut.id).toBe('catalog@[fd00::5]:4002');
    expect(sut.host).toBe('fd00::5');
  });

  it('returns a frozen instance', () => {
    const sut = dnsInstance('catalog', '10.0.0.5', 4002);
    expect(Object.isFrozen(sut) && Object.isFrozen(sut.metadata)).toBe(true);
  });
});

describe(srvMetadata.name, () => {
  it('keeps target, priority and weight as strings for balancers', () => {
    expect(srvMetadata({ name: 'catalog-0', port: 4002, priority: 1, weight: 20 })).toEqual({ target: 'catalog-0', priority: '1', weight: '20' });
  });
});
