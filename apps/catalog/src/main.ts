import './instrumentation';
import { bootstrapService, type RunningService, runMain } from '@nestkit/bootstrap';
import { loadConfig } from '@nestkit/config';
import { AppModule } from './app/app.module';
import { catalogConfigSchema } from './app/catalog.config';

/** Starts the catalog service with configuration from `env`; throws ConfigError naming any bad key. */
export async function main(env: NodeJS.ProcessEnv = process.env): Promise<RunningService> {
  const config = loadConfig('catalog', catalogConfigSchema, env);
  return bootstrapService({ service: 'catalog', module: AppModule.forRoot(config), host: config.HOST, port: config.PORT, shutdownGraceMs: config.SHUTDOWN_GRACE_MS, metricsPort: config.METRICS_PORT });
}

if (require.main === module) runMain(main);
