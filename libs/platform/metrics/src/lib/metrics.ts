/** Label values of one time series, e.g. `{ route: '/orders', status: '202' }`. */
export type Labels = Readonly<Record<string, string>>;

/** A value that only goes up (requests served, messages dead-lettered). */
export interface Counter {
  inc(labels?: Labels, by?: number): void;
}

/** A distribution of observed values (latencies in seconds, batch sizes). */
export interface Histogram {
  observe(value: number, labels?: Labels): void;
}

/**
 * Where instrumented code records measurements. Code depends on this port only; the observability
 * issue plugs prom-client in behind it, and tests use {@link InMemoryMetrics}.
 */
export interface Metrics {
  counter(name: string, help: string): Counter;
  histogram(name: string, help: string): Histogram;
}
