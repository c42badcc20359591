export { InMemoryMetrics } from './lib/in-memory.metrics';
export type { Counter, Histogram, Labels, Metrics } from './lib/metrics';
