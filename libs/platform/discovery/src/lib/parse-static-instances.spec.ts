import { parseStaticInstances } from './parse-static-instances';

describe(parseStaticInstances.name, () => {
  it('parses several services with several addresses each', () => {
    const sut = parseStaticInstances('catalog=127.0.0.1:4002,127.0.0.1:4012;orders=127.0.0.1:4003');
    expect(sut.rejected).toEqual([]);
    expect(sut.instances.map((i) => [i.id, i.service, i.host, i.port, i.status])).toEqual([
      ['catalog@127.0.0.1:4002', 'catalog', '127.0.0.1', 4002, 'up'],
      ['catalog@127.0.0.1:4012', 'catalog', '127.0.0.1', 4012, 'up'],
      ['orders@127.0.0.1:4003', 'orders', '127.0.0.1', 4003, 'up'],
    ]);
  });

  it('tolerates whitespace, empty groups and bracketed IPv6 hosts', () => {
    const sut = parseStaticInstances(' catalog = [::1]:4002 , localhost:4012 ;; ');
    expect(sut.rejected).toEqual([]);
    expect(sut.instances.map((i) => [i.id, i.host])).toEqual([
      ['catalog@[::1]:4002', '::1'],
      ['catalog@localhost:4012', 'localhost'],
    ]);
  });

  it('skips malformed entries, says why, and keeps the good ones', () => {
    const sut = parseStaticInstances('catalog=127.0.0.1:4002,nohost,127.0.0.1:99999,127.0.0.1:4002;=1.2.3.4:5;orders');
    expect(sut.instances.map((i) => i.id)).toEqual(['catalog@127.0.0.1:4002']);
    expect(sut.rejected).toEqual([
      { entry: 'catalog=nohost', reason: 'expected host:port' },
      { entry: 'catalog=127.0.0.1:99999', reason: 'port must be between 1 and 65535' },
      { entry: 'catalog=127.0.0.1:4002', reason: 'duplicate' },
      { entry: '=1.2.3.4:5', reason: 'expected service=host:port[,host:port...]' },
      { entry: 'orders', reason: 'expected service=host:port[,host:port...]' },
    ]);
  });

  it('returns nothing for an empty spec', () => {
    expect(parseStaticInstances('')).toEqual({ instances: [], rejected: [] });
  });
});
