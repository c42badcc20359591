import { type Attributes, createNoopMeter, type Meter, type MeterProvider, type ObservableCallback, type ObservableResult } from '@opentelemetry/api';
import type { PlatformMetrics } from '@nestkit/metrics';

/**
 * The OpenTelemetry SDK counts what its batch span processor does with each span (exported, dropped
 * because the queue was full, failed to export) through a MeterProvider. This one hands those counts to
 * the process's Prometheus registry, so "spans dropped" is a metric next to the others without running
 * the OpenTelemetry metrics SDK as well:
 * - `nestkit_trace_spans_exported_total`
 * - `nestkit_trace_spans_dropped_total{reason}`: `queue_full`, or the export error's name
 * - `nestkit_trace_span_queue_size` and `nestkit_trace_span_queue_capacity`
 */
export function spanProcessorMeterProvider(metrics: PlatformMetrics): MeterProvider {
  const exported = metrics.counter({ name: 'nestkit_trace_spans_exported_total', help: 'Spans handed to the trace exporter and accepted by it.' });
  const dropped = metrics.counter({ name: 'nestkit_trace_spans_dropped_total', help: 'Spans lost: the export queue was full, or the export failed.', labelNames: ['reason'] });
  const callbacks: ObservableCallback[] = [];
  metrics.gauge({
    name: 'nestkit_trace_span_queue_size',
    help: 'Spans waiting for export.',
    collect() {
      let size = 0;
      const result: ObservableResult = { observe: (value: number) => void (size += value) };
      for (const callback of callbacks) void callback(result);
      this.set(size);
    },
  });
  const capacity = metrics.gauge({ name: 'nestkit_trace_span_queue_capacity', help: 'Spans the export queue holds before dropping.' });
  const noop = createNoopMeter();
  const meter = Object.assign(Object.create(noop) as Meter, {
    createCounter: () => ({
      add(value: number, attributes?: Attributes) {
        const reason = attributes?.['error.type'];
        if (reason === undefined) exported.inc(value);
        else dropped.inc({ reason: String(reason) }, value);
      },
    }),
    createUpDownCounter: () => ({ add: (value: number) => capacity.inc(value) }),
    createObservableUpDownCounter: () => ({
      addCallback: (callback: ObservableCallback) => void callbacks.push(callback),
      removeCallback: (callback: ObservableCallback) => {
        const at = callbacks.indexOf(callback);
        if (at >= 0) callbacks.splice(at, 1);
      },
    }),
  });
  return { getMeter: () => meter };
}
