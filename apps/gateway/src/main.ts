import { bootstrapService, type RunningService, runMain } from '@nestkit/bootstrap';
import { loadConfig } from '@nestkit/config';
import { AppModule } from './app/app.module';
import { gatewayConfigSchema } from './app/gateway.config';

/** Starts the gateway with configuration from `env`; throws ConfigError naming any bad key. */
export async function main(env: NodeJS.ProcessEnv = process.env): Promise<RunningService> {
  const config = loadConfig('gateway', gatewayConfigSchema, env);
  return bootstrapService({
    service: 'gateway',
    module: AppModule.forRoot(config),
    host: config.HOST,
    port: config.PORT,
    bodyLimit: config.BODY_LIMIT_BYTES,
    shutdownGraceMs: config.SHUTDOWN_GRACE_MS,
  });
}

if (require.main === module) runMain(main);
