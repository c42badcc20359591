import { metricValue } from './metric-values';
import { observeWithExemplar, PlatformMetrics } from './platform-metrics';

describe(PlatformMetrics.name, () => {
  it('returns the same metric when asked twice for one name, so several clients share a series', async () => {
    const sut = new PlatformMetrics();
    sut.counter({ name: 'things_total', help: 'Things', labelNames: ['kind'] }).inc({ kind: 'a' });
    sut.counter({ name: 'things_total', help: 'Things', labelNames: ['kind'] }).inc({ kind: 'a' }, 2);
    expect(await metricValue(sut.registry, 'things_total', { kind: 'a' })).toBe(3);
  });

  it('refuses a name already taken by another type or other labels, naming both', () => {
    const sut = new PlatformMetrics();
    sut.counter({ name: 'things_total', help: 'Things', labelNames: ['kind'] });
    expect(() => sut.gauge({ name: 'things_total', help: 'Things', labelNames: ['kind'] })).toThrow(/already registered as a Counter with labels \[kind\]; asked for a Gauge/);
    expect(() => sut.counter({ name: 'things_total', help: 'Things', labelNames: ['other'] })).toThrow(/labels \[kind\]; asked for a Counter with labels \[other\]/);
  });

  it('serves OpenMetrics text with exemplars on duration histograms', async () => {
    const sut = new PlatformMetrics();
    const histogram = sut.histogram({ name: 'op_duration_seconds', help: 'Op', labelNames: ['op'] });
    observeWithExemplar(histogram, { op: 'read' }, 0.004, '4bf92f3577b34da6a3ce929d0e0e4736');
    const { contentType, body } = await sut.exposition();
    expect(contentType).toMatch(/^application\/openmetrics-text/);
    expect(body).toMatch(/op_duration_seconds_bucket\{le="0.005",op="read"\} 1 # \{trace_id="4bf92f3577b34da6a3ce929d0e0e4736"\} 0.004/);
    expect(body.trimEnd().endsWith('# EOF')).toBe(true);
    expect(await metricValue(sut.registry, 'op_duration_seconds', { op: 'read' }, 'count')).toBe(1);
  });

  it("adds Node's default metrics once", async () => {
    const sut = new PlatformMetrics();
    sut.collectDefaults();
    sut.collectDefaults();
    const { body } = await sut.exposition();
    expect(body).toContain('nodejs_eventloop_lag_seconds');
    expect(body).toContain('nodejs_heap_size_used_bytes');
  });
});
