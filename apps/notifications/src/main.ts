import './instrumentation';
import { bootstrapService, type RunningService, runMain } from '@nestkit/bootstrap';
import { loadConfig } from '@nestkit/config';
import { AppModule } from './app/app.module';
import { notificationsConfigSchema } from './app/notifications.config';

/** Starts the notifications service with configuration from `env`; throws ConfigError naming any bad key. */
export async function main(env: NodeJS.ProcessEnv = process.env): Promise<RunningService> {
  const config = loadConfig('notifications', notificationsConfigSchema, env);
  return bootstrapService({ service: 'notifications', module: AppModule.forRoot(config), host: config.HOST, port: config.PORT, shutdownGraceMs: config.SHUTDOWN_GRACE_MS, metricsPort: config.METRICS_PORT });
}

if (require.main === module) runMain(main);
