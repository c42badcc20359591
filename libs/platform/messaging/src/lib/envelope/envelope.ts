import { validationErrorFrom } from '@nestkit/errors';
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
  /** W3C trace context of the producing span. */
  readonly traceparent?: string;
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
  traceparent?: string;
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
  return {
    id,
    type: contract.type,
    version: contract.version,
    occurredAt: now.toISOString(),
    correlationId: options.correlationId ?? id,
    ...(options.causationId === undefined ? {} : { causationId: options.causationId }),
    ...(options.traceparent === undefined ? {} : { traceparent: options.traceparent }),
    producer: options.producer,
    ...(options.key === undefined ? {} : { key: options.key }),
    ...(options.identity === undefined ? {} : { identity: options.identity }),
    payload: result.data,
  };
}

/** Copies the correlation id and trace of `parent` and sets it as the cause of the next message. */
export function causedBy(parent: Envelope): Causation {
  return {
    correlationId: parent.correlationId,
    causationId: parent.id,
    ...(parent.traceparent === undefined ? {} : { traceparent: parent.traceparent }),
  };
}
