import { collectDefaultMetrics, Counter, type CounterConfiguration, Gauge, type GaugeConfiguration, Histogram, type HistogramConfiguration, type LabelValues, type OpenMetricsContentType, Registry } from 'prom-client';

type AnyMetric = Counter<string> | Gauge<string> | Histogram<string>;

/** Latency buckets in seconds, from 1 ms to 10 s: a proxy hop, a database query and a slow upstream all land in distinct buckets. */
export const LATENCY_BUCKETS_SECONDS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * The Prometheus registry a process records into (prom-client), in the OpenMetrics format so duration
 * histograms can carry exemplars with trace ids. Libraries ask for their metrics by name: asking twice
 * returns the same metric (several HTTP clients of one process share `http_client_request_duration_seconds`),
 * and asking for a name with another type or other labels throws, naming both, instead of silently
 * splitting a series.
 */
export class PlatformMetrics {
  readonly registry: Registry<OpenMetricsContentType>;
  private defaultsCollected = false;

  constructor(registry: Registry<OpenMetricsContentType> = new Registry<OpenMetricsContentType>()) {
    this.registry = registry;
    this.registry.setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
  }

  counter<L extends string>(config: Omit<CounterConfiguration<L>, 'registers'>): Counter<L> {
    return this.getOrCreate(config, Counter, () => new Counter({ ...config, registers: [this.registry] })) as Counter<L>;
  }

  gauge<L extends string>(config: Omit<GaugeConfiguration<L>, 'registers'>): Gauge<L> {
    return this.getOrCreate(config, Gauge, () => new Gauge({ ...config, registers: [this.registry] })) as Gauge<L>;
  }

  /**
   * A histogram with exemplars on (a trace id per bucket) and {@link LATENCY_BUCKETS_SECONDS} unless told
   * otherwise; record into it with {@link observeWithExemplar} (prom-client takes only the object form then).
   */
  histogram<L extends string>(config: Omit<HistogramConfiguration<L>, 'registers'>): Histogram<L> {
    return this.getOrCreate(
      config,
      Histogram,
      () => new Histogram({ buckets: LATENCY_BUCKETS_SECONDS, enableExemplars: true, ...config, registers: [this.registry] }),
    ) as Histogram<L>;
  }

  /** Node's own metrics (event-loop lag, GC, heap, CPU, file descriptors), once per registry. */
  collectDefaults(): void {
    if (this.defaultsCollected) return;
    this.defaultsCollected = true;
    collectDefaultMetrics({ register: this.registry, eventLoopMonitoringPrecision: 10 });
  }

  /** The scrape answer: content type and body. */
  async exposition(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  private getOrCreate(
    config: { name: string; labelNames?: readonly string[] },
    type: new (...args: never[]) => AnyMetric,
    create: () => AnyMetric,
  ): AnyMetric {
    const existing = this.registry.getSingleMetric(config.name) as AnyMetric | undefined;
    if (!existing) return create();
    const labels = [...(config.labelNames ?? [])].sort().join(',');
    const existingLabels = [...((existing as unknown as { labelNames?: string[] }).labelNames ?? [])].sort().join(',');
    if (!(existing instanceof type) || labels !== existingLabels) {
      throw new Error(
        `metric "${config.name}" is already registered as a ${existing.constructor.name} with labels [${existingLabels}]; ` +
          `asked for a ${type.name} with labels [${labels}]. Give the new metric another name.`,
      );
    }
    return existing;
  }
}

/**
 * The process's metrics: what the platform libs record into and what `GET /metrics` serves. One process
 * is one service in production; a test that runs several apps in one process reads deltas, or passes a
 * `new PlatformMetrics()` where a lib takes one.
 */
export const platformMetrics = new PlatformMetrics();

/** Seconds since `startNs` (from `process.hrtime.bigint()`), for `histogram.observe`. */
export function secondsSince(startNs: bigint): number {
  return Number(process.hrtime.bigint() - startNs) / 1e9;
}

/**
 * Records `value` in `histogram`, with the trace id as exemplar when there is a sampled trace (one that
 * can be looked up). prom-client types exemplar labels as the metric's own labels, which they are not.
 */
export function observeWithExemplar<L extends string>(histogram: Histogram<L>, labels: LabelValues<L>, value: number, traceId?: string): void {
  // With exemplars on, prom-client takes only the object form of `observe`.
  histogram.observe({ labels, value, exemplarLabels: (traceId === undefined ? {} : { trace_id: traceId }) as unknown as LabelValues<L> });
}
