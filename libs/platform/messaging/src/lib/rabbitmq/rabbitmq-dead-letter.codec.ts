import type { Message } from 'amqplib';
import type { Envelope } from '../envelope/envelope';
import type { DeadLetter, DeadLetterReason } from '../subscriber';
import { decodeEnvelope, failedDeliveries, RABBITMQ_HEADERS } from './rabbitmq.wire';

const REASONS: readonly DeadLetterReason[] = ['handler-failed', 'invalid-payload'];

/**
 * The envelope of a message, even a broken one: a body that is not an envelope is reported with what the
 * AMQP properties say about it and the raw body as `payload`, so the DLQ tooling can still show it.
 */
export function envelopeOf(message: Pick<Message, 'content' | 'properties'>): Envelope {
  const decoded = decodeEnvelope(message.content);
  if (decoded.ok) return decoded.envelope;
  const { properties } = message;
  return {
    id: String(properties.messageId ?? ''),
    type: String(properties.type ?? ''),
    version: Number(properties.headers?.[RABBITMQ_HEADERS.version] ?? 0),
    occurredAt: typeof properties.timestamp === 'number' ? new Date(properties.timestamp * 1000).toISOString() : '',
    correlationId: String(properties.correlationId ?? ''),
    producer: String(properties.appId ?? ''),
    payload: message.content.toString('utf8'),
  };
}

/**
 * Reads a message of `<group>.dlq` back as a {@link DeadLetter}. Messages the broker itself dead-lettered
 * (its delivery limit, see `BROKER_DELIVERY_LIMIT`) carry no `x-nestkit-*` headers; they are reported as
 * `handler-failed` with the broker's reason taken from `x-death`.
 */
export function decodeDeadLetter(message: Pick<Message, 'content' | 'properties'>, group: string): DeadLetter {
  const headers = message.properties.headers ?? {};
  const reason = headers[RABBITMQ_HEADERS.reason];
  return {
    envelope: envelopeOf(message),
    group: typeof headers[RABBITMQ_HEADERS.group] === 'string' ? headers[RABBITMQ_HEADERS.group] : group,
    reason: REASONS.includes(reason) ? (reason as DeadLetterReason) : 'handler-failed',
    error: typeof headers[RABBITMQ_HEADERS.error] === 'string' ? headers[RABBITMQ_HEADERS.error] : brokerReason(headers['x-death']),
    deliveries: failedDeliveries(message),
    deadLetteredAt: typeof headers[RABBITMQ_HEADERS.deadLetteredAt] === 'string' ? headers[RABBITMQ_HEADERS.deadLetteredAt] : '',
  };
}

function brokerReason(deaths: unknown): string {
  const first = Array.isArray(deaths) ? (deaths[0] as { reason?: unknown; queue?: unknown } | undefined) : undefined;
  if (!first) return 'dead-lettered without a reason (not by this bus)';
  return `dead-lettered by RabbitMQ from ${String(first.queue)}: ${String(first.reason)}` +
    (first.reason === 'delivery_limit' ? ' (returned unacknowledged too often: its consumers crashed or lost their connection while handling it)' : '');
}
