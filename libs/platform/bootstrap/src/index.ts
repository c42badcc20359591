export { bootstrapService, type FrontHandler, type RunningService, type ServiceOptions } from './lib/bootstrap-service';
export { runMain } from './lib/run-main';
export { finishServerRequest } from './lib/server-telemetry';
