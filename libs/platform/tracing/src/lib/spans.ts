import { type Attributes, type Context, context, type Link, propagation, ROOT_CONTEXT, type Span, type SpanContext, SpanKind, SpanStatusCode, trace, type Tracer } from '@opentelemetry/api';

/** The headers (or message headers) a trace travels in: `traceparent`, `tracestate`, `baggage`. */
export type TraceCarrier = Record<string, string | string[] | undefined>;

const getter = {
  keys: (carrier: TraceCarrier) => Object.keys(carrier),
  get: (carrier: TraceCarrier, key: string) => carrier[key],
};

/** The platform's tracer. Spans are named and attributed after the OpenTelemetry semantic conventions. */
export function tracer(): Tracer {
  return trace.getTracer('@nestkit/platform');
}

/** The context a carrier (request headers, message headers, an envelope's trace fields) continues; the root when it carries none. */
export function contextFrom(carrier: TraceCarrier | undefined): Context {
  return carrier ? propagation.extract(ROOT_CONTEXT, carrier, getter) : ROOT_CONTEXT;
}

/** Writes `traceparent` (and `tracestate`, `baggage` when there are any) of `ctx` (default: the active one) into `carrier`. */
export function injectContext<T extends Record<string, unknown>>(carrier: T, ctx: Context = context.active()): T {
  propagation.inject(ctx, carrier);
  return carrier;
}

/** The trace fields of `ctx` (default: the active one), for an envelope or a header set; empty when there is no trace. */
export function traceFields(ctx: Context = context.active()): { traceparent?: string; tracestate?: string; baggage?: string } {
  const carrier: Record<string, string> = {};
  propagation.inject(ctx, carrier);
  return carrier;
}

/** Trace and span id of the active span, for log lines; undefined outside any trace. */
export function activeTraceIds(): { trace_id: string; span_id: string } | undefined {
  const span = trace.getActiveSpan();
  if (!span) return undefined;
  const { traceId, spanId } = span.spanContext();
  return trace.isSpanContextValid(span.spanContext()) ? { trace_id: traceId, span_id: spanId } : undefined;
}

/** The trace id of a sampled span context (an exemplar worth linking: the trace can be looked up), else undefined. */
export function sampledTraceId(spanContext: SpanContext | undefined): string | undefined {
  return spanContext && spanContext.traceFlags & 1 ? spanContext.traceId : undefined;
}

/** A link to the span a carrier names (a batch's publish span links every message it sends), or undefined. */
export function linkTo(carrier: TraceCarrier | undefined, attributes?: Attributes): Link | undefined {
  const spanContext = trace.getSpanContext(contextFrom(carrier));
  return spanContext && trace.isSpanContextValid(spanContext) ? { context: spanContext, attributes } : undefined;
}

/** Marks `span` failed with `error` (recorded as an exception event, `error.type` set) without ending it. */
export function failSpan(span: Span, error: unknown, errorType?: string): void {
  if (!span.isRecording()) return;
  const err = error instanceof Error ? error : new Error(String(error));
  span.recordException(err);
  span.setAttribute('error.type', errorType ?? ((err as { code?: unknown }).code as string | undefined) ?? err.name);
  span.setStatus({ code: SpanStatusCode.ERROR, message: err.message });
}

/**
 * Runs `work` inside a new span (child of the active context, or of `parent`), ending it when the work
 * settles and marking it failed when it throws.
 */
export async function inSpan<T>(name: string, options: { kind?: SpanKind; attributes?: Attributes; links?: Link[]; parent?: Context }, work: (span: Span) => Promise<T>): Promise<T> {
  const parent = options.parent ?? context.active();
  const span = tracer().startSpan(name, { kind: options.kind ?? SpanKind.INTERNAL, attributes: options.attributes, links: options.links }, parent);
  try {
    return await context.with(trace.setSpan(parent, span), () => work(span));
  } catch (error) {
    failSpan(span, error);
    throw error;
  } finally {
    span.end();
  }
}

export { SpanKind, SpanStatusCode };
