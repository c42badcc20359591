import type { IncomingMessage } from 'node:http';
import type { DynamicModule, INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { ServiceRegistration } from '@nestkit/discovery';
import { ProblemDetailsFilter } from '@nestkit/errors';
import { ReadinessGate } from '@nestkit/health';
import { launcherEndpoint } from '@nestkit/ipc';
import { traceContextOf } from '@nestkit/logging';
import { Logger } from 'nestjs-pino';

export interface ServiceOptions {
  /** Service name, as registered in discovery and stamped on logs. */
  service: string;
  /** The root module, usually `AppModule.forRoot(config)`. */
  module: Type<unknown> | DynamicModule;
  host: string;
  port: number;
  /** Largest request body accepted, in bytes (default 100 KiB); larger bodies get a 413. */
  bodyLimit?: number;
  /**
   * Longest a graceful shutdown may take before the process exits anyway (default 10 s), so a hung
   * request or connection cannot keep a stopping instance alive for ever.
   */
  shutdownGraceMs?: number;
}

/** A started service: its Nest application and the URL it listens on. */
export interface RunningService {
  app: INestApplication;
  url: string;
  close(): Promise<void>;
}

/**
 * Boots a Nest service the platform way: Fastify, JSON logs through pino, RFC 9457 errors for every
 * failure (Nest routes Fastify's body-parser errors through the same global filter), graceful shutdown, and listening on
 * the configured host and port (port 0 picks a free one). When the root module provides a
 * `ServiceRegistration`, the instance is registered in discovery after listening (once the real port is
 * known) and once its readiness indicators pass, and marked draining, then deregistered, on shutdown.
 */
export async function bootstrapService(options: ServiceOptions): Promise<RunningService> {
  const adapter = new FastifyAdapter({
    bodyLimit: options.bodyLimit ?? 100 * 1024,
    return503OnClosing: true,
    // The request id in every log line is the request's span id, so logs and traces join up.
    genReqId: (request: IncomingMessage) => traceContextOf(request).spanId,
  });
  // abortOnError off: a failing boot rejects here (runMain reports it) instead of Nest calling process.exit.
  const app = await NestFactory.create<NestFastifyApplication>(options.module, adapter, { bufferLogs: true, abortOnError: false });
  app.useLogger(app.get(Logger));
  app.useGlobalFilters(new ProblemDetailsFilter());
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
  limitShutdown(options.service, options.shutdownGraceMs ?? 10_000);
  stopWithLauncher(app);
  await app.listen({ port: options.port, host: options.host });
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const url = `http://${options.host}:${port}`;
  // Registered only once /health/ready would pass, so no caller is ever sent to an unready instance.
  await optional(app, ReadinessGate)?.waitUntilReady();
  await optional(app, ServiceRegistration)?.start({ host: options.host, port });
  return { app, url, close: () => app.close() };
}

/** A provider the root module may or may not include (ServiceRegistration, ReadinessGate). */
function optional<T>(app: INestApplication, token: Type<T>): T | undefined {
  try {
    return app.get(token, { strict: false });
  } catch {
    return undefined;
  }
}

/**
 * Under `npm start` the launcher forks each service with an IPC channel; if the launcher dies (even by
 * `kill -9`), the channel closes and the service shuts down instead of running on orphaned.
 */
function stopWithLauncher(app: INestApplication): void {
  const launcher = launcherEndpoint();
  if (!launcher) return;
  launcher.onClose(() => {
    void app.close().finally(() => process.exit(0));
  });
}

/** Arms, on the first SIGTERM/SIGINT, a timer that ends the process if graceful shutdown hangs. */
function limitShutdown(service: string, graceMs: number): void {
  const arm = (signal: string) => {
    setTimeout(() => {
      process.stderr.write(`${service}: graceful shutdown after ${signal} took over ${graceMs} ms; exiting\n`);
      process.exit(1);
    }, graceMs).unref();
  };
  process.once('SIGTERM', arm);
  process.once('SIGINT', arm);
}
