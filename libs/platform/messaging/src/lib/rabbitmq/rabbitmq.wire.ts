import { validationErrorFrom } from '@nestkit/errors';
import type { Message, Options } from 'amqplib';
import { z } from 'zod';
import type { Envelope } from '../envelope/envelope';
import type { DeadLetterReason } from '../subscriber';

/** Header names on the wire. The body is the source of truth; these are copies for tooling and routing. */
export const RABBITMQ_HEADERS = {
  traceparent: 'traceparent',
  tracestate: 'tracestate',
  baggage: 'baggage',
  correlationId: 'x-correlation-id',
  causationId: 'x-causation-id',
  version: 'x-nestkit-version',
  /** Failed deliveries so far; absent on a fresh message. */
  deliveries: 'x-nestkit-deliveries',
  reason: 'x-nestkit-reason',
  error: 'x-nestkit-error',
  deadLetteredAt: 'x-nestkit-dead-lettered-at',
  group: 'x-nestkit-group',
} as const;

/** Headers this backend rewrites when it moves a message (retry, dead-letter, replay). */
const MANAGED_HEADERS: readonly string[] = [RABBITMQ_HEADERS.deliveries, RABBITMQ_HEADERS.reason, RABBITMQ_HEADERS.error, RABBITMQ_HEADERS.deadLetteredAt, RABBITMQ_HEADERS.group];

/** Dead-letter errors are cut to this length: AMQP header tables are limited to 64 KiB in all. */
const MAX_ERROR_LENGTH = 1_000;

const envelopeShape = z.object({
  id: z.string().min(1),
  type: z.string().min(1),
  version: z.number().int(),
  occurredAt: z.string(),
  correlationId: z.string(),
  causationId: z.string().optional(),
  traceparent: z.string().optional(),
  tracestate: z.string().optional(),
  baggage: z.string().optional(),
  producer: z.string(),
  key: z.string().optional(),
  identity: z.object({ token: z.string().min(1) }).optional(),
  payload: z.unknown(),
});

/** The body and properties of one envelope as published: persistent JSON, routed by its type. */
export function encodeEnvelope(envelope: Envelope): { content: Buffer; options: Options.Publish } {
  const headers: Record<string, unknown> = { [RABBITMQ_HEADERS.correlationId]: envelope.correlationId, [RABBITMQ_HEADERS.version]: envelope.version };
  if (envelope.causationId !== undefined) headers[RABBITMQ_HEADERS.causationId] = envelope.causationId;
  if (envelope.traceparent !== undefined) headers[RABBITMQ_HEADERS.traceparent] = envelope.traceparent;
  if (envelope.tracestate !== undefined) headers[RABBITMQ_HEADERS.tracestate] = envelope.tracestate;
  if (envelope.baggage !== undefined) headers[RABBITMQ_HEADERS.baggage] = envelope.baggage;
  return {
    content: Buffer.from(JSON.stringify(envelope)),
    options: {
      persistent: true,
      contentType: 'application/json',
      messageId: envelope.id,
      type: envelope.type,
      appId: envelope.producer,
      correlationId: envelope.correlationId,
      // AMQP timestamps are whole seconds.
      timestamp: Math.floor(Date.parse(envelope.occurredAt) / 1000) || undefined,
      headers,
    },
  };
}

/** The envelope in a message body, or why it is not one (not JSON, or missing envelope fields). */
export type DecodedEnvelope = { ok: true; envelope: Envelope } | { ok: false; error: string };

/** Parses and shape-checks a message body; the payload is left for the contract's schema. */
export function decodeEnvelope(content: Buffer): DecodedEnvelope {
  let body: unknown;
  try {
    body = JSON.parse(content.toString('utf8'));
  } catch (error) {
    return { ok: false, error: `message body is not JSON (${(error as Error).message})` };
  }
  const shape = envelopeShape.safeParse(body);
  if (!shape.success) return { ok: false, error: validationErrorFrom(shape.error, 'envelope').message };
  // The body itself, not zod's copy, so fields a newer producer added reach the handler too.
  return { ok: true, envelope: body as Envelope };
}

/** Failed deliveries recorded on a message by earlier retries. */
export function failedDeliveries(message: Pick<Message, 'properties'>): number {
  const value = Number(message.properties.headers?.[RABBITMQ_HEADERS.deliveries] ?? 0);
  return Number.isInteger(value) && value > 0 ? value : 0;
}

/**
 * Publish options for moving `message` on (to a delay queue, the DLQ, or back to its group): its own
 * properties, minus the headers the broker and this backend add, plus `headers`. No `expiration` or
 * `userId`, which would expire or be refused on the way.
 */
export function movedMessageOptions(message: Pick<Message, 'properties'>, headers: Record<string, unknown>): Options.Publish {
  const { properties } = message;
  return {
    persistent: true,
    mandatory: true,
    contentType: properties.contentType,
    contentEncoding: properties.contentEncoding,
    messageId: properties.messageId,
    type: properties.type,
    appId: properties.appId,
    correlationId: properties.correlationId,
    timestamp: properties.timestamp,
    headers: { ...originalHeaders(properties.headers), ...headers },
  };
}

/** The headers a dead letter carries, read back by `RabbitMqDeadLetterAdmin`. */
export function deadLetterHeaders(group: string, reason: DeadLetterReason, error: string, deliveries: number, at: Date): Record<string, unknown> {
  return {
    [RABBITMQ_HEADERS.group]: group,
    [RABBITMQ_HEADERS.reason]: reason,
    [RABBITMQ_HEADERS.error]: error.length > MAX_ERROR_LENGTH ? `${error.slice(0, MAX_ERROR_LENGTH)}…` : error,
    [RABBITMQ_HEADERS.deliveries]: deliveries,
    [RABBITMQ_HEADERS.deadLetteredAt]: at.toISOString(),
  };
}

function originalHeaders(headers: Record<string, unknown> | undefined): Record<string, unknown> {
  return Object.fromEntries(Object.entries(headers ?? {}).filter(([name]) => !MANAGED_HEADERS.includes(name) && !isBrokerHeader(name)));
}

function isBrokerHeader(name: string): boolean {
  return name === 'x-delivery-count' || name === 'x-death' || name.startsWith('x-first-death-') || name.startsWith('x-last-death-');
}
