import { continueFromHeaders, type TraceContext } from '@nestkit/tracing';

const TRACE = Symbol.for('nestkit.trace-context');

interface RequestLike {
  headers: Record<string, string | string[] | undefined>;
  [TRACE]?: TraceContext;
}

/**
 * The trace context of an incoming request, computed once from its `traceparent` header and kept on
 * the request, so the request id, every log line and every outgoing call agree on it.
 */
export function traceContextOf(request: object): TraceContext {
  const req = request as RequestLike;
  req[TRACE] ??= continueFromHeaders(req.headers ?? {});
  return req[TRACE];
}
