import type { IncomingHttpHeaders } from 'node:http';
import { type Context, type Span, type SpanContext, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { contextFrom, tracer } from './spans';

const SPAN = Symbol.for('nestkit.tracing.server-span');

interface RequestLike {
  method?: string;
  url?: string;
  headers: IncomingHttpHeaders;
  socket?: { remoteAddress?: string; localPort?: number };
  [SPAN]?: { span: Span; context: Context; ended?: boolean };
}

/**
 * Starts the SERVER span of an incoming HTTP request, as a child of the caller's `traceparent` (a new
 * trace without one), once per request: a second call returns the first span, so the proxy, bootstrap's
 * hook and the request logger agree on it. `http.route` is set when the route is known ({@link endServerSpan}).
 */
export function startServerSpan(request: object): { span: Span; context: Context } {
  const req = request as RequestLike;
  const existing = req[SPAN];
  if (existing) return existing;
  const parent = contextFrom(req.headers as Record<string, string | string[] | undefined>);
  const method = req.method ?? 'GET';
  const span = tracer().startSpan(
    method,
    {
      kind: SpanKind.SERVER,
      attributes: {
        'http.request.method': method,
        'url.path': pathOf(req.url),
        'url.scheme': 'http',
        'client.address': req.socket?.remoteAddress,
        'server.port': req.socket?.localPort,
        'user_agent.original': req.headers['user-agent'],
      },
    },
    parent,
  );
  const started = { span, context: trace.setSpan(parent, span) };
  req[SPAN] = started;
  return started;
}

/** The request's SERVER span, when one was started. */
export function serverSpanOf(request: object): Span | undefined {
  return (request as RequestLike)[SPAN]?.span;
}

/**
 * Ends the request's SERVER span with its status and route pattern (never the raw path: bounded
 * cardinality), once; returns the ended span's context, or undefined when there was none or it had ended.
 */
export function endServerSpan(request: object, status: number, route: string | undefined): SpanContext | undefined {
  const started = (request as RequestLike)[SPAN];
  if (!started || started.ended) return undefined;
  started.ended = true;
  const { span } = started;
  span.setAttribute('http.response.status_code', status);
  if (route) {
    span.setAttribute('http.route', route);
    span.updateName(`${(request as RequestLike).method ?? 'GET'} ${route}`);
  }
  if (status >= 500) {
    span.setAttribute('error.type', String(status));
    span.setStatus({ code: SpanStatusCode.ERROR });
  }
  span.end();
  return span.spanContext();
}

function pathOf(url: string | undefined): string {
  if (!url) return '/';
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}
