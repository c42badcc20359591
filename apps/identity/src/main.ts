import './instrumentation';
import { bootstrapService, type RunningService, runMain } from '@nestkit/bootstrap';
import { loadConfig } from '@nestkit/config';
import { AppModule, type AppModuleOverrides } from './app/app.module';
import { identityConfigSchema } from './app/identity.config';

/** Starts the identity service with configuration from `env`; throws ConfigError naming any bad key. */
export async function main(env: NodeJS.ProcessEnv = process.env, overrides: AppModuleOverrides = {}): Promise<RunningService> {
  const config = loadConfig('identity', identityConfigSchema, env);
  return bootstrapService({
    service: 'identity',
    module: AppModule.forRoot(config, overrides),
    host: config.HOST,
    port: config.PORT,
    shutdownGraceMs: config.SHUTDOWN_GRACE_MS, metricsPort: config.METRICS_PORT,
  });
}

if (require.main === module) runMain(main);
