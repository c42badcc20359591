import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { DynamicModule, INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { ServiceRegistration } from '@nestkit/discovery';
import { PROBLEM_CONTENT_TYPE, ProblemDetailsFilter, problem } from '@nestkit/errors';
import { ReadinessGate } from '@nestkit/health';
import { launcherEndpoint } from '@nestkit/ipc';
import { publishOpenApi } from '@nestkit/openapi';
import { DEADLINE_HEADER, Deadline, DeadlineStore } from '@nestkit/resilience';
import { currentTelemetry, startServerSpan, startTelemetry } from '@nestkit/tracing';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { Logger } from 'nestjs-pino';
import { serveMetrics, traceAndMeasureRequests } from './server-telemetry';

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
  /** The service's version, in its OpenAPI document (default 0.1.0). */
  version?: string;
  /** A client must send its request headers within this long (default 10 s), so slow clients cannot hold sockets. */
  headersTimeoutMs?: number;
  /** A client must send its whole request, body included, within this long (default 60 s). */
  requestTimeoutMs?: number;
  /**
   * A raw request handler in front of the framework (the gateway's proxy), resolved from the application
   * once it is created: it returns true when it answered `req`, false to leave it to Nest.
   */
  front?: (app: INestApplication) => FrontHandler;
  /**
   * Serve `GET /metrics` on its own listener at this port (0: a free one) instead of the service's port,
   * e.g. so the gateway's metrics are not on the public port. Unset: on the service's port.
   */
  metricsPort?: number;
  /** Host of the metrics listener (default `host`). */
  metricsHost?: string;
}

/** Answers a raw request before the framework sees it; false: not mine. */
export type FrontHandler = (req: IncomingMessage, res: ServerResponse) => boolean;

/** A started service: its Nest application and the URL it listens on. */
export interface RunningService {
  app: INestApplication;
  url: string;
  /** Where `GET /metrics` answers: `url` itself, or the metrics listener's URL. */
  metricsUrl: string;
  close(): Promise<void>;
}

/**
 * Boots a Nest service the platform way: Fastify, JSON logs through pino, RFC 9457 errors for every
 * failure (Nest routes Fastify's body-parser errors through the same global filter), its OpenAPI document at
 * `/openapi.json`, the caller's deadline honoured, slow clients cut off, graceful shutdown, and listening on
 * the configured host and port (port 0 picks a free one). When the root module provides a
 * `ServiceRegistration`, the instance is registered in discovery after listening (once the real port is
 * known) and once its readiness indicators pass, and marked draining, then deregistered, on shutdown.
 */
export async function bootstrapService(options: ServiceOptions): Promise<RunningService> {
  // Normally started by the app's instrumentation entry before anything else; started here otherwise
  // (tests that boot an app module directly), so every service has spans and trace ids in its logs.
  const telemetry = currentTelemetry() ?? startTelemetry({ service: options.service, version: options.version });
  // Filled in once the application exists: the handler is resolved from its providers.
  const front: { handle?: FrontHandler } = {};
  const adapter = new FastifyAdapter({
    // Our own server, so that the slow-client limits hold and a front handler (the gateway's proxy) can
    // answer before Fastify parses anything.
    serverFactory: (handler: RequestListener): Server => {
      const headersTimeout = options.headersTimeoutMs ?? 10_000;
      // Node checks those limits every `connectionsCheckingInterval` (30 s by default): check often enough
      // that a slow client is cut off close to its limit.
      const connectionsCheckingInterval = Math.min(1_000, headersTimeout);
      const server = createServer({ headersTimeout, requestTimeout: options.requestTimeoutMs ?? 60_000, connectionsCheckingInterval }, (req, res) => {
        if (front.handle?.(req, res) !== true) handler(req, res);
      });
      return server;
    },
    bodyLimit: options.bodyLimit ?? 100 * 1024,
    return503OnClosing: true,
    // Errors Fastify answers before any route runs (a malformed URL, an over-long path parameter, a request
    // the HTTP parser refuses) are problem+json like every other error.
    frameworkErrors: (error: FastifyError, _request: FastifyRequest, reply: FastifyReply) => {
      const status = error.statusCode ?? 400;
      const code = FRAMEWORK_ERROR_CODES[error.code] ?? 'malformed-request';
      void reply.code(status).type(PROBLEM_CONTENT_TYPE).send(problem(status, code, error.message));
    },
    clientErrorHandler: answerClientError,
    // The request id in every log line is the request's span id, so logs and traces join up.
    genReqId: (request: IncomingMessage) => startServerSpan(request).span.spanContext().spanId,
  });
  // abortOnError off: a failing boot rejects here (runMain reports it) instead of Nest calling process.exit.
  const app = await NestFactory.create<NestFastifyApplication>(options.module, adapter, { bufferLogs: true, abortOnError: false });
  app.useLogger(app.get(Logger));
  app.useGlobalFilters(new ProblemDetailsFilter());
  // First: the request's span is the context of everything after it, deadline included.
  traceAndMeasureRequests(app.getHttpAdapter().getInstance());
  honourDeadlines(app);
  // GET /openapi.json: the service's OpenAPI 3.1, from the same zod schemas its handlers validate with.
  publishOpenApi(app, { service: options.service, version: options.version ?? '0.1.0' });
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
  limitShutdown(options.service, options.shutdownGraceMs ?? 10_000);
  stopWithLauncher(app);
  front.handle = options.front?.(app);
  const metrics = await serveMetrics(app.getHttpAdapter().getInstance(), options.metricsPort === undefined ? undefined : { host: options.metricsHost ?? options.host, port: options.metricsPort });
  await app.listen({ port: options.port, host: options.host });
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const url = `http://${options.host}:${port}`;
  flushTelemetryOnClose(app, async () => {
    await metrics.close();
    await telemetry.flush(Math.min(5_000, options.shutdownGraceMs ?? 10_000));
  });
  // Registered only once /health/ready would pass, so no caller is ever sent to an unready instance.
  await optional(app, ReadinessGate)?.waitUntilReady();
  await optional(app, ServiceRegistration)?.start({ host: options.host, port });
  return { app, url, metricsUrl: metrics.url ?? url, close: () => app.close() };
}

/**
 * Runs `after` once the application closed (requests and message handlers finished, the instance
 * deregistered), however the close was started: `close()`, or Nest's own SIGTERM hook, which calls
 * `app.close()` and then lets the signal end the process. So the spans of the last requests are exported.
 */
function flushTelemetryOnClose(app: INestApplication, after: () => Promise<void>): void {
  const close = app.close.bind(app);
  let closing: Promise<void> | undefined;
  app.close = () => (closing ??= close().finally(after));
}

const FRAMEWORK_ERROR_CODES: Record<string, string> = {
  FST_ERR_BAD_URL: 'malformed-url',
  FST_ERR_MAX_PARAM_LENGTH: 'path-parameter-too-long',
};

/**
 * A request the HTTP parser refused (headers too large, a timeout, malformed HTTP): answered with
 * problem+json when nothing was written yet, then the connection is closed.
 */
function answerClientError(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || error.code === 'EPIPE' || !socket.writable || socket.bytesWritten > 0) {
    socket.destroy(error);
    return;
  }
  const [status, code, detail] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'request-headers-too-large', 'The request line and headers exceed the 16 KiB this server reads; send a shorter URL or fewer headers.']
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'request-timeout', 'The request was not received completely in time.']
        : [400, 'malformed-request', 'The request is not valid HTTP/1.1.'];
  const body = JSON.stringify(problem(status, code, detail));
  socket.end(`HTTP/1.1 ${status} ${code}\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}

/**
 * Every request's `x-request-deadline` (the caller's remaining budget, in ms) becomes the deadline of the
 * work it starts (`DeadlineStore`), so the HTTP client passes on what is left instead of a fresh budget;
 * a request whose budget is already spent gets 504 without reaching its handler.
 */
function honourDeadlines(app: NestFastifyApplication): void {
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRequest', (request, reply, done) => {
      const deadline = Deadline.fromHeader(request.headers[DEADLINE_HEADER]);
      if (!deadline) return done();
      if (deadline.remaining() === 0) {
        const body = problem(504, 'deadline-exceeded', `The caller's deadline (${DEADLINE_HEADER}) had passed when the request arrived.`);
        void reply.code(504).type(PROBLEM_CONTENT_TYPE).send(body);
        return;
      }
      DeadlineStore.run(deadline, done);
    });
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
