import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { observeWithExemplar, platformMetrics, secondsSince } from '@nestkit/metrics';
import { endServerSpan, sampledTraceId, startServerSpan } from '@nestkit/tracing';
import { context } from '@opentelemetry/api';
import type { FastifyInstance, FastifyRequest } from 'fastify';

const UNMATCHED_ROUTE = 'unmatched';

/**
 * The duration histogram every server records per request (RED: its `_count` is the rate, its 5xx
 * series the errors, its buckets the latency), labelled by route pattern, never the raw path, so ids in
 * URLs cannot grow the series without bound.
 */
let requestDuration: ReturnType<typeof createServerRequestDuration> | undefined;

function createServerRequestDuration() {
  return platformMetrics.histogram({
    name: 'http_server_request_duration_seconds',
    help: 'Time to answer an HTTP request, by method, route pattern and status code.',
    labelNames: ['method', 'route', 'status_code'],
  });
}

/**
 * A request is over: ends its SERVER span with the status and route, and records its duration with the
 * trace id as exemplar; once per request (a second call, e.g. abort after response, does nothing).
 * Bootstrap's hooks call it for every Nest request, the gateway's proxy for every proxied one.
 */
export function finishServerRequest(request: object, method: string, route: string, status: number, seconds: number): void {
  const span = endServerSpan(request, status, route);
  if (!span) return;
  requestDuration ??= createServerRequestDuration();
  observeWithExemplar(requestDuration, { method, route, status_code: String(status) }, seconds, sampledTraceId(span));
}

/**
 * Every request runs inside its SERVER span (a child of the caller's `traceparent`), so each log line,
 * query and outgoing call of the handler joins the caller's trace; when it is answered the span ends with
 * its status and route, and the duration is recorded with the trace id as exemplar.
 */
export function traceAndMeasureRequests(fastify: FastifyInstance): void {
  const started = new WeakMap<FastifyRequest, bigint>();
  fastify.addHook('onRequest', (request, _reply, done) => {
    started.set(request, process.hrtime.bigint());
    context.with(startServerSpan(request.raw).context, done);
  });
  const finish = (request: FastifyRequest, status: number) => {
    const since = started.get(request);
    if (since !== undefined) finishServerRequest(request.raw, request.method, request.routeOptions.url ?? UNMATCHED_ROUTE, status, secondsSince(since));
  };
  fastify.addHook('onResponse', (request, reply, done) => {
    finish(request, reply.statusCode);
    done();
  });
  // 499: the client closed the connection before the answer (nginx's convention).
  fastify.addHook('onRequestAbort', (request, done) => {
    finish(request, 499);
    done();
  });
}

/**
 * `GET /metrics` (Prometheus text, OpenMetrics with exemplars) with Node's default metrics: on the
 * service's own port, or on a listener of its own when `separate` is given (`METRICS_PORT`). It is a plain
 * Fastify route, outside Nest: no guard, no OpenAPI entry, and the gateway never routes to it.
 */
export async function serveMetrics(fastify: FastifyInstance, separate: { host: string; port: number } | undefined): Promise<{ url?: string; close(): Promise<void> }> {
  platformMetrics.collectDefaults();
  const answer = async () => platformMetrics.exposition();
  if (!separate) {
    fastify.get('/metrics', async (_request, reply) => {
      const { contentType, body } = await answer();
      return reply.type(contentType).send(body);
    });
    return { close: async () => undefined };
  }
  const server: Server = createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Only GET /metrics is served on this port.\n');
      return;
    }
    answer().then(
      ({ contentType, body }) => res.writeHead(200, { 'content-type': contentType }).end(body),
      (error: unknown) => res.writeHead(500, { 'content-type': 'text/plain' }).end(`metrics: ${String(error)}\n`),
    );
  });
  server.listen(separate.port, separate.host);
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${separate.host}:${port}`,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}
