import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import { finishServerRequest } from '@nestkit/bootstrap';
import { isAppError, PROBLEM_CONTENT_TYPE, problem, toProblem } from '@nestkit/errors';
import { serverSpanOf, startServerSpan } from '@nestkit/tracing';
import { context } from '@opentelemetry/api';
import type { Logger } from 'pino';
import type { RouteTable } from '../routes/route-table';
import { EdgeError } from './edge-error';
import type { Next, ProxyExchange, ProxyResponse } from './exchange';
import type { ClientAddress } from './forwarding';

/** What the proxy needs: the live table, the composed chain, the client-address policy, a logger. */
export interface ProxyServerDeps {
  readonly table: () => RouteTable;
  readonly chain: Next;
  readonly addresses: ClientAddress;
  /** One line per proxied request at `info`; gateway-side failures at `warn`/`error`. */
  readonly log: Logger;
}

/** A path segment that is `.`/`..`, or an encoded dot, slash or backslash: refused, never normalised into another route. */
const SUSPICIOUS_PATH = /(^|\/)\.\.?(\/|$)|%2e|%2f|%5c|\\/i;

/**
 * The gateway's proxy, on raw Node request/response objects in front of Nest: a request whose method
 * and path match a route is handled here, with no body parsing and no framework in the way; anything
 * else (health, docs, the platform API) falls through to the Nest application. Errors of the gateway
 * itself are RFC 9457 problem+json; the upstream's answers pass through as they are, streamed.
 */
export class ProxyServer {
  constructor(private readonly deps: ProxyServerDeps) {}

  /** Handles `req` when a route matches and returns true; false leaves it to the framework. */
  handle(req: IncomingMessage, res: ServerResponse): boolean {
    const url = req.url ?? '/';
    const queryAt = url.indexOf('?');
    const path = queryAt === -1 ? url : url.slice(0, queryAt);
    const query = queryAt === -1 ? '' : url.slice(queryAt + 1);
    const method = req.method ?? 'GET';
    // A CORS preflight is routed as the request it announces, so it reaches the route's CORS answer.
    const announced = method === 'OPTIONS' ? req.headers['access-control-request-method'] : undefined;
    const match = this.deps.table().match(typeof announced === 'string' ? announced.toUpperCase() : method, path, query);
    if (!match) return this.noRoute(req, res, method, path);
    const started = performance.now();
    // The request's SERVER span: the filters and the upstream call run inside it, so the upstream attempt
    // is its child and every log line of the request carries its trace.
    const server = startServerSpan(req);
    server.span.setAttribute('nestkit.route', match.route.id);
    server.span.setAttribute('nestkit.upstream', match.route.service);
    const aborter = new AbortController();
    const exchange: ProxyExchange = {
      req,
      res,
      method,
      path,
      query,
      match,
      clientIp: this.deps.addresses.of(req),
      requestId: '',
      responseHeaders: {},
      upstreamHeaders: {},
      droppedHeaders: new Set(),
      signal: aborter.signal,
    };
    res.once('close', () => {
      if (!res.writableFinished) aborter.abort(new ClientGoneError());
      this.finished(exchange, started);
    });
    if (SUSPICIOUS_PATH.test(path)) {
      this.fail(exchange, new EdgeError(400, 'malformed-path', 'The request path has a dot segment or an encoded slash, dot or backslash; send the normalised path.'));
      return true;
    }
    context.with(server.context, this.deps.chain, undefined, exchange).then(
      (response) => this.write(exchange, response),
      (error: unknown) => this.fail(exchange, error),
    );
    return true;
  }

  /**
   * Under `/api/` (the routed namespace, but for the gateway's own `/api/_platform/`) an unmatched request
   * gets 404 problem+json `gateway.no-route` here; anything else is left to Nest.
   */
  private noRoute(req: IncomingMessage, res: ServerResponse, method: string, path: string): boolean {
    if (!path.startsWith('/api/') || path.startsWith('/api/_platform/')) return false;
    req.resume();
    const body = JSON.stringify({ ...problem(404, 'gateway.no-route', `No route for ${method} ${path}; routes are in config/gateway.routes.yaml or announced by services.`), instance: path });
    res.writeHead(404, { 'content-type': PROBLEM_CONTENT_TYPE, 'content-length': Buffer.byteLength(body) });
    res.end(body);
    return true;
  }

  private write(exchange: ProxyExchange, response: ProxyResponse): void {
    const { res } = exchange;
    if (res.destroyed) {
      destroyBody(response.body);
      return;
    }
    const headers = response.headers;
    // Upstream purge tags are for the response cache (which strips them from what it serves), never for clients.
    delete headers['cache-tag'];
    for (const name in exchange.responseHeaders) {
      const value = exchange.responseHeaders[name] as string | string[];
      headers[name] = name === 'vary' && headers[name] ? `${String(headers[name])}, ${String(value)}` : value;
    }
    res.writeHead(response.status, headers);
    const body = response.body;
    if (body === null || exchange.method === 'HEAD') {
      destroyBody(body);
      res.end();
    } else if (Buffer.isBuffer(body)) {
      res.end(body);
    } else {
      relay(body, res);
    }
  }

  private fail(exchange: ProxyExchange, error: unknown): void {
    const { res } = exchange;
    if (error instanceof ClientGoneError || res.destroyed) return;
    if (res.headersSent) {
      res.destroy(error instanceof Error ? error : undefined);
      return;
    }
    const body = error instanceof EdgeError ? problem(error.status, error.code, error.message) : toProblem(error);
    if (body.status >= 500) this.deps.log.warn({ err: error, route: exchange.match.route.id, request_id: exchange.requestId }, `gateway answered ${body.status} ${body.code}`);
    else if (!isAppError(error)) this.deps.log.error({ err: error }, 'unexpected error in the proxy');
    const headers: Record<string, string | string[]> = { ...exchange.responseHeaders, 'content-type': PROBLEM_CONTENT_TYPE };
    if (body.retryAfterSec !== undefined) headers['retry-after'] = String(body.retryAfterSec);
    // A refused upload (too large, no token...) is not read to its end: the connection closes after the
    // answer, rather than Node draining whatever the client still sends.
    if (body.status === 413 || hasUnreadBody(exchange.req)) headers['connection'] = 'close';
    const text = JSON.stringify({ ...body, instance: exchange.path, ...(exchange.requestId ? { requestId: exchange.requestId } : {}) });
    res.writeHead(body.status, headers);
    res.end(text);
  }

  /** Ends the request's span, records its duration (499: the client left first), writes the access line. */
  private finished(exchange: ProxyExchange, started: number): void {
    const status = exchange.res.writableFinished ? exchange.res.statusCode : 499;
    const route = exchange.match.route.id;
    if (exchange.servedBy) serverSpanOf(exchange.req)?.setAttribute('nestkit.instance.id', exchange.servedBy);
    finishServerRequest(exchange.req, exchange.method, route, status, (performance.now() - started) / 1000);
    this.access(exchange, started);
  }

  private access(exchange: ProxyExchange, started: number): void {
    const { log } = this.deps;
    if (!log.isLevelEnabled('info')) return;
    log.info({
      request_id: exchange.requestId,
      method: exchange.method,
      path: exchange.path,
      route: exchange.match.route.id,
      status: exchange.res.statusCode,
      served_by: exchange.servedBy,
      complete: exchange.res.writableFinished,
      ms: Math.round((performance.now() - started) * 10) / 10,
    });
  }
}

/** The client went away: nothing to answer, and the upstream call is aborted. */
export class ClientGoneError extends Error {
  override readonly name = 'ClientGoneError';
  constructor() {
    super('the client closed the connection before the answer was complete');
  }
}

/**
 * Pipes an upstream body to the client with back-pressure; either side failing ends the other. Not
 * `stream.pipeline`, which allocates an AbortController (and an AbortError on completion) per call.
 */
function relay(body: Readable, res: ServerResponse): void {
  body.on('error', (error) => res.destroy(error));
  res.on('close', () => {
    if (!body.readableEnded) body.destroy();
  });
  body.pipe(res);
}

function hasUnreadBody(req: IncomingMessage): boolean {
  return !req.readableEnded && (req.headers['content-length'] !== undefined || req.headers['transfer-encoding'] !== undefined) && req.headers['content-length'] !== '0';
}

function destroyBody(body: ProxyResponse['body']): void {
  if (body && !Buffer.isBuffer(body)) (body as Readable).destroy();
}
