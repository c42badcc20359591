import { validationErrorFrom } from '@nestkit/errors';
import { contextFrom, SpanKind, traceFields, tracer } from '@nestkit/tracing';
import { trace } from '@opentelemetry/api';
import type { MessageContract } from './message-contract';
import { uuidV7 } from './uuid-v7';

/** A message on the wire: routing and tracing metadata around a payload that satisfies its contract. */
export interface Envelope<T = unknown> {
  /** Unique message id (UUID v7); consumers dedupe on it. */
  readonly id: string;
  readonly type: string;
  readonly version: number;
  /** ISO-8601 instant the producer created the message. */
  readonly occurredAt: string;
  /** Id shared by every message of one business flow; the root message's own id. */
  readonly correlationId: string;
  /** Id of the message whose handling produced this one. */
  readonly causationId?: string;
  /** W3C trace context of the span that produced it (a request's, a handler's): consumers continue it. */
  readonly traceparent?: string;
  /** W3C `tracestate` that goes with `traceparent`. */
  readonly tracestate?: string;
  /** W3C baggage of the producing context. */
  readonly baggage?: string;
  /** Name of the producing service. */
  readonly producer: string;
  /** Ordering/partition key, usually the aggregate id; messages with one key keep their order. */
  readonly key?: string;
  /** Who sent it, signed: verify it before trusting it (`@nestkit/auth`'s message identity). */
  readonly identity?: MessageIdentity;
  readonly payload: T;
}

/**
 * The signed identity of a message's sender: a token (JWS) issued by identity to the producing service,
 * possibly acting on behalf of a user. Receivers verify it against the JWKS; an unsigned claim is never trusted.
 */
export interface MessageIdentity {
  readonly token: string;
}

/** Metadata for {@link createEnvelope}; spread {@link causedBy} into it when reacting to a message. */
export interface EnvelopeOptions {
  producer: string;
  correlationId?: string;
  causationId?: string;
  /** The trace to carry; by default the active span's (the request or handler that creates the message). */
  traceparent?: string;
  tracestate?: string;
  baggage?: string;
  key?: string;
  identity?: MessageIdentity;
  /** Clock for tests; defaults to now. */
  now?: Date;
}

/** The correlation, causation and trace metadata a message inherits from the message that caused it. */
export interface Causation {
  correlationId: string;
  causationId: string;
  traceparent?: string;
  tracestate?: string;
  baggage?: string;
}

/**
 * Builds an envelope for `contract`, validating (and normalising) the payload with its schema. Throws a
 * ValidationError naming each failing field, so a bad event is refused before it reaches the outbox.
 */
export function createEnvelope<T>(contract: MessageContract<T>, payload: T, options: EnvelopeOptions): Envelope<T> {
  const result = contract.schema.safeParse(payload);
  if (!result.success) throw validationErrorFrom(result.error, `${contract.type} payload`);
  const now = options.now ?? new Date();
  const id = uuidV7(now.getTime());
  const tracing = options.traceparent === undefined ? traceFields() : options;
  return {
    id,
    type: contract.type,
    version: contract.version,
    occurredAt: now.toISOString(),
    correlationId: options.correlationId ?? id,
    ...(options.causationId === undefined ? {} : { causationId: options.causationId }),
    ...(tracing.traceparent === undefined ? {} : { traceparent: tracing.traceparent }),
    ...(tracing.tracestate === undefined ? {} : { tracestate: tracing.tracestate }),
    ...(tracing.baggage === undefined ? {} : { baggage: tracing.baggage }),
    producer: options.producer,
    ...(options.key === undefined ? {} : { key: options.key }),
    ...(options.identity === undefined ? {} : { identity: options.identity }),
    payload: result.data,
  };
}

/**
 * The correlation of the next message `parent` causes, and its trace as a child of `parent`'s: the active
 * span when it belongs to `parent`'s trace (the CONSUMER span the transport runs each handler in is one),
 * otherwise a new span started and ended as `parent`'s child, so a consumer of the next message is never
 * parented on a span that does not exist or on `parent`'s producer itself.
 */
export function causedBy(parent: Envelope): Causation {
  const causation = { correlationId: parent.correlationId, causationId: parent.id };
  if (parent.traceparent === undefined) return causation;
  const parentContext = contextFrom(traceCarrierOf(parent));
  const parentSpan = trace.getSpanContext(parentContext);
  const active = trace.getActiveSpan()?.spanContext();
  if (active && parentSpan && active.traceId === parentSpan.traceId && active.spanId !== parentSpan.spanId) return { ...causation, ...traceFields() };
  const child = tracer().startSpan(`${parent.type} caused`, { kind: SpanKind.INTERNAL, attributes: { 'messaging.message.id': parent.id } }, parentContext);
  child.end();
  return { ...causation, ...traceFields(trace.setSpan(parentContext, child)) };
}

/** The trace fields of an envelope as a propagation carrier. */
export function traceCarrierOf(envelope: Pick<Envelope, 'traceparent' | 'tracestate' | 'baggage'>): Record<string, string | undefined> {
  return { traceparent: envelope.traceparent, tracestate: envelope.tracestate, baggage: envelope.baggage };
}
