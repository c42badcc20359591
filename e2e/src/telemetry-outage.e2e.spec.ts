import { freePort } from '@nestkit/testing';
import { call } from './http';
import { PlatformProcess } from './platform-process';

/** Issue 11: a collector that cannot be reached never fails or holds up a request; the lost spans are counted. */
describe('tracing with an unreachable OTLP collector', () => {
  let platform: PlatformProcess;

  beforeAll(async () => {
    // Nothing listens there: every export fails with ECONNREFUSED.
    const nowhere = `http://127.0.0.1:${await freePort()}`;
    platform = await PlatformProcess.start({
      OTEL_TRACES_EXPORTER: 'otlp',
      OTEL_EXPORTER_OTLP_ENDPOINT: nowhere,
      OTEL_BSP_SCHEDULE_DELAY: '50',
      OTEL_BSP_EXPORT_TIMEOUT: '500',
      OTEL_BSP_MAX_QUEUE_SIZE: '32',
      OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '16',
    });
  });

  afterAll(async () => {
    expect(await platform?.stop()).toBe(0);
  });

  it('answers every request in time and counts the spans it could not export', async () => {
    const durations: number[] = [];
    for (let batch = 0; batch < 30; batch++) {
      await Promise.all(
        Array.from({ length: 10 }, async () => {
          const started = performance.now();
          const response = await call(`${platform.url}/api/catalog/products/p-mouse`);
          durations.push(performance.now() - started);
          expect(response.status).toBe(200);
        }),
      );
    }
    expect(durations).toHaveLength(300);
    // The export timeout is 500 ms; no request waits for an export.
    expect(Math.max(...durations)).toBeLessThan(2_000);

    const metrics = await (await fetch(`${platform.url}/metrics`)).text();
    const dropped = [...metrics.matchAll(/^nestkit_trace_spans_dropped_total\{reason="([^"]+)"\} (\d+)/gm)].map((m) => ({ reason: m[1], count: Number(m[2]) }));
    expect(dropped.reduce((sum, d) => sum + d.count, 0)).toBeGreaterThan(0);
    // Failed exports are counted under the export error's name.
    expect(dropped.every((d) => d.reason.length > 0)).toBe(true);
    expect(metrics).toMatch(/^nestkit_trace_spans_exported_total 0$/m);
    // The failures are reported, but not once per failed export.
    const reported = platform.logs.split('\n').filter((line) => line.startsWith('gateway: opentelemetry:'));
    expect(reported.length).toBeGreaterThan(0);
    expect(reported.length).toBeLessThanOrEqual(5);
  });
});
