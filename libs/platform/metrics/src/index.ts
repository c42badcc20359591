export { metricValue } from './lib/metric-values';
export { LATENCY_BUCKETS_SECONDS, observeWithExemplar, PlatformMetrics, platformMetrics, secondsSince } from './lib/platform-metrics';
