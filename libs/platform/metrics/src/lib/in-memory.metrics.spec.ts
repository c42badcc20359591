import { InMemoryMetrics } from './in-memory.metrics';

describe(InMemoryMetrics.name, () => {
  it('counts per label set, whatever the label order', () => {
    const sut = new InMemoryMetrics();
    const requests = sut.counter('http_requests_total', 'requests');
    requests.inc({ route: '/orders', status: '202' });
    requests.inc({ status: '202', route: '/orders' }, 2);
    requests.inc({ route: '/orders', status: '422' });
    expect(sut.counterValue('http_requests_total', { route: '/orders', status: '202' })).toBe(3);
    expect(sut.counterValue('http_requests_total', { route: '/orders', status: '422' })).toBe(1);
    expect(sut.counterValue('http_requests_total', { route: '/other' })).toBe(0);
  });

  it('returns the same series for the same name', () => {
    const sut = new InMemoryMetrics();
    sut.histogram('latency_seconds', 'latency').observe(0.1);
    sut.histogram('latency_seconds', 'latency').observe(0.3);
    expect(sut.observations('latency_seconds')).toEqual([0.1, 0.3]);
    expect(sut.help('latency_seconds')).toBe('latency');
  });

  it('refuses a decreasing counter and an invalid name', () => {
    const sut = new InMemoryMetrics();
    expect(() => sut.counter('ok_total', '').inc({}, -1)).toThrow(/cannot decrease/);
    expect(() => sut.counter('bad-name', '')).toThrow(/not a valid Prometheus name/);
  });
});
