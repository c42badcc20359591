import type { OpenMetricsContentType, PrometheusContentType, Registry } from 'prom-client';

/**
 * The current value of one series of a counter or gauge (`labels` must match exactly), or of a
 * histogram's `_count`/`_sum` when `suffix` says so; 0 when the series does not exist yet. For tests
 * and for code that reports a metric it owns.
 */
export async function metricValue(registry: Registry<OpenMetricsContentType> | Registry<PrometheusContentType>, name: string, labels: Record<string, string> = {}, suffix?: 'count' | 'sum'): Promise<number> {
  const metric = registry.getSingleMetric(name);
  if (!metric) return 0;
  const { values } = await metric.get();
  const wanted = suffix ? `${name}_${suffix}` : undefined;
  const keys = Object.keys(labels);
  const match = values.find((value) => {
    const series = value as { labels: Record<string, string | number>; metricName?: string };
    if (wanted && series.metricName !== wanted) return false;
    if (!wanted && series.metricName !== undefined && series.metricName !== name && !series.metricName.endsWith('_total')) return false;
    const own = Object.keys(series.labels).filter((key) => key !== 'le');
    return own.length === keys.length && keys.every((key) => String(series.labels[key]) === labels[key]);
  });
  return match?.value ?? 0;
}
