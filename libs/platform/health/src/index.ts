export { HealthController, READINESS_INDICATORS } from './lib/health.controller';
export { HealthModule, type HealthOptions } from './lib/health.module';
export { LifecycleState } from './lib/lifecycle.state';
export type { ReadinessIndicator } from './lib/readiness-indicator';
