export { HealthController } from './lib/health.controller';
export { READINESS_INDICATORS } from './lib/health.tokens';
export { HealthModule, type HealthOptions } from './lib/health.module';
export { LifecycleState } from './lib/lifecycle.state';
export type { ReadinessIndicator } from './lib/readiness-indicator';
export { ReadinessGate } from './lib/readiness.gate';
