import type { Envelope } from '../envelope/envelope';
import { InvalidMessageError } from '../invalid-message.error';
import type { DeadLetter, DeadLetterReason } from '../subscriber';
import type { KafkaInboundRecord, KafkaOutboundRecord } from './kafka.client';

/**
 * Header names of the Kafka wire format. The value is always the JSON envelope; headers repeat its
 * metadata for tooling (and tracing) that should not parse the value, and carry retry and dead-letter state.
 */
export const KAFKA_HEADERS = {
  id: 'message-id',
  type: 'message-type',
  version: 'message-version',
  correlationId: 'correlation-id',
  causationId: 'causation-id',
  traceparent: 'traceparent',
  tracestate: 'tracestate',
  baggage: 'baggage',
  producer: 'producer',
  contentType: 'content-type',
  /** Deliveries already attempted (retry and dead-letter topics). */
  deliveries: 'deliveries',
  /** Epoch milliseconds before which a retry must not be delivered. */
  notBefore: 'not-before',
  /** Last handler error (retry) or why the message was dead-lettered (dead-letter topic). */
  error: 'error',
  reason: 'reason',
  deadLetteredAt: 'dead-lettered-at',
  group: 'group',
} as const;

const TRANSIENT = new Set<string>([
  KAFKA_HEADERS.deliveries,
  KAFKA_HEADERS.notBefore,
  KAFKA_HEADERS.error,
  KAFKA_HEADERS.reason,
  KAFKA_HEADERS.deadLetteredAt,
  KAFKA_HEADERS.group,
]);
const MAX_ERROR_HEADER = 2_000;
const ENVELOPE_STRINGS: readonly string[] = ['id', 'type', 'occurredAt', 'correlationId', 'producer'];

/** The record an envelope is published as: key = `key ?? id` (per-aggregate order), value = JSON envelope. */
export function encodeEnvelope(envelope: Envelope, topic: string): KafkaOutboundRecord {
  const headers: Record<string, string> = {
    [KAFKA_HEADERS.id]: envelope.id,
    [KAFKA_HEADERS.type]: envelope.type,
    [KAFKA_HEADERS.version]: String(envelope.version),
    [KAFKA_HEADERS.correlationId]: envelope.correlationId,
    [KAFKA_HEADERS.producer]: envelope.producer,
    [KAFKA_HEADERS.contentType]: 'application/json',
  };
  if (envelope.causationId !== undefined) headers[KAFKA_HEADERS.causationId] = envelope.causationId;
  if (envelope.traceparent !== undefined) headers[KAFKA_HEADERS.traceparent] = envelope.traceparent;
  if (envelope.tracestate !== undefined) headers[KAFKA_HEADERS.tracestate] = envelope.tracestate;
  if (envelope.baggage !== undefined) headers[KAFKA_HEADERS.baggage] = envelope.baggage;
  return { topic, key: envelope.key ?? envelope.id, value: JSON.stringify(envelope), headers };
}

/** The envelope in a record's value; throws {@link InvalidMessageError} when the value is not one. */
export function decodeEnvelope(record: KafkaInboundRecord): Envelope {
  const where = `Kafka record ${record.topic}/${record.partition}@${record.offset}`;
  let value: unknown;
  try {
    value = JSON.parse(record.value ?? '');
  } catch (error) {
    throw new InvalidMessageError(`${where} is not JSON: ${(error as Error).message}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new InvalidMessageError(`${where} is not a message envelope: not an object`);
  const fields = value as Record<string, unknown>;
  const wrong: string[] = ENVELOPE_STRINGS.filter((key) => typeof fields[key] !== 'string');
  if (typeof fields['version'] !== 'number') wrong.push('version');
  if (!('payload' in fields)) wrong.push('payload');
  if (wrong.length > 0) throw new InvalidMessageError(`${where} is not a message envelope: missing or wrong ${wrong.join(', ')}`);
  return value as Envelope;
}

/** A stand-in envelope, built from the headers, for a record whose value cannot be decoded. */
export function fallbackEnvelope(record: KafkaInboundRecord): Envelope {
  const id = record.headers[KAFKA_HEADERS.id] ?? `${record.topic}/${record.partition}@${record.offset}`;
  return {
    id,
    type: record.headers[KAFKA_HEADERS.type] ?? record.topic,
    version: Number(record.headers[KAFKA_HEADERS.version] ?? 0),
    occurredAt: new Date(0).toISOString(),
    correlationId: record.headers[KAFKA_HEADERS.correlationId] ?? id,
    producer: record.headers[KAFKA_HEADERS.producer] ?? 'unknown',
    payload: record.value,
  };
}

/** Deliveries already attempted for this record (0 for a fresh message). */
export function deliveriesOf(record: KafkaInboundRecord): number {
  const value = Number(record.headers[KAFKA_HEADERS.deliveries] ?? 0);
  return Number.isInteger(value) && value > 0 ? value : 0;
}

/** Epoch ms before which the record must not be delivered (0 when it may be delivered now). */
export function notBeforeOf(record: KafkaInboundRecord): number {
  const value = Number(record.headers[KAFKA_HEADERS.notBefore] ?? 0);
  return Number.isFinite(value) ? value : 0;
}

/** The same message, addressed to a retry topic, with its deliveries so far and when it may run again. */
export function retryRecord(record: KafkaInboundRecord, topic: string, state: { deliveries: number; notBefore: number; error: string }): KafkaOutboundRecord {
  return forward(record, topic, {
    [KAFKA_HEADERS.deliveries]: String(state.deliveries),
    [KAFKA_HEADERS.notBefore]: String(state.notBefore),
    [KAFKA_HEADERS.error]: state.error.slice(0, MAX_ERROR_HEADER),
  });
}

/** The same message, addressed to a dead-letter topic, with why, after how many deliveries, when and for which group. */
export function deadLetterRecord(record: KafkaInboundRecord, topic: string, deadLetter: Omit<DeadLetter, 'envelope'>): KafkaOutboundRecord {
  return forward(record, topic, {
    [KAFKA_HEADERS.reason]: deadLetter.reason,
    [KAFKA_HEADERS.error]: deadLetter.error.slice(0, MAX_ERROR_HEADER),
    [KAFKA_HEADERS.deliveries]: String(deadLetter.deliveries),
    [KAFKA_HEADERS.deadLetteredAt]: deadLetter.deadLetteredAt,
    [KAFKA_HEADERS.group]: deadLetter.group,
  });
}

/** A dead letter moved to a retry topic for a fresh set of deliveries, due at once. */
export function replayRecord(record: KafkaInboundRecord, topic: string, now: number): KafkaOutboundRecord {
  return forward(record, topic, { [KAFKA_HEADERS.deliveries]: '0', [KAFKA_HEADERS.notBefore]: String(now) });
}

/** A record copied unchanged to `topic` (to keep a dead letter that was not replayed). */
export function copyRecord(record: KafkaInboundRecord, topic: string): KafkaOutboundRecord {
  return { topic, key: record.key ?? '', value: record.value ?? '', headers: { ...record.headers } };
}

/** The {@link DeadLetter} a dead-letter topic record stands for. */
export function decodeDeadLetter(record: KafkaInboundRecord, group: string): DeadLetter {
  let envelope: Envelope;
  try {
    envelope = decodeEnvelope(record);
  } catch {
    envelope = fallbackEnvelope(record);
  }
  const reason = record.headers[KAFKA_HEADERS.reason] === 'invalid-payload' ? 'invalid-payload' : 'handler-failed';
  return {
    envelope,
    group: record.headers[KAFKA_HEADERS.group] ?? group,
    reason: reason satisfies DeadLetterReason,
    error: record.headers[KAFKA_HEADERS.error] ?? '',
    deliveries: deliveriesOf(record),
    deadLetteredAt: record.headers[KAFKA_HEADERS.deadLetteredAt] ?? new Date(0).toISOString(),
  };
}

function forward(record: KafkaInboundRecord, topic: string, state: Record<string, string>): KafkaOutboundRecord {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(record.headers)) if (!TRANSIENT.has(name)) headers[name] = value;
  return { topic, key: record.key ?? record.headers[KAFKA_HEADERS.id] ?? '', value: record.value ?? '', headers: { ...headers, ...state } };
}
