import './instrumentation';
import { bootstrapService, type RunningService, runMain } from '@nestkit/bootstrap';
import { loadConfig } from '@nestkit/config';
import { AppModule } from './app/app.module';
import { gatewayConfigSchema } from './app/gateway.config';
import { GatewayProxy } from './app/proxy/gateway-proxy';

/** Starts the gateway with configuration from `env`; throws ConfigError naming any bad key. */
export async function main(env: NodeJS.ProcessEnv = process.env): Promise<RunningService> {
  const config = loadConfig('gateway', gatewayConfigSchema, env);
  return bootstrapService({
    service: 'gateway',
    module: AppModule.forRoot(config),
    host: config.HOST,
    port: config.PORT,
    bodyLimit: config.BODY_LIMIT_BYTES,
    shutdownGraceMs: config.SHUTDOWN_GRACE_MS, metricsPort: config.METRICS_PORT,
    headersTimeoutMs: config.HEADERS_TIMEOUT_MS,
    requestTimeoutMs: config.REQUEST_TIMEOUT_MS,
    // Routed requests are proxied on the raw request, before Nest parses anything.
    front: (app) => app.get(GatewayProxy).handle,
  });
}

if (require.main === module) runMain(main);
