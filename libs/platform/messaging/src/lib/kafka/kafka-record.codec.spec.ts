import { z } from 'zod';
import { createEnvelope } from '../envelope/envelope';
import { InvalidMessageError } from '../invalid-message.error';
import type { KafkaInboundRecord, KafkaOutboundRecord } from './kafka.client';
import {
  copyRecord,
  deadLetterRecord,
  decodeDeadLetter,
  decodeEnvelope,
  deliveriesOf,
  encodeEnvelope,
  fallbackEnvelope,
  KAFKA_HEADERS,
  notBeforeOf,
  replayRecord,
  retryRecord,
} from './kafka-record.codec';

const Placed = { type: 'orders.order-placed', version: 2, schema: z.object({ orderId: z.string() }) } as const;
const now = new Date('2025-01-01T10:00:00.000Z');
const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

/** What a consumer reads back after `record` was produced. */
const readBack = (record: KafkaOutboundRecord, offset = '7'): KafkaInboundRecord => ({ ...record, partition: 1, offset });

describe('Kafka record codec', () => {
  it('publishes an envelope keyed by its key, as JSON, with its metadata in headers', () => {
    const envelope = createEnvelope(Placed, { orderId: 'o1' }, { producer: 'orders', key: 'o1', causationId: 'c1', traceparent, now });
    expect(encodeEnvelope(envelope, 'p.orders.order-placed')).toEqual({
      topic: 'p.orders.order-placed',
      key: 'o1',
      value: JSON.stringify(envelope),
      headers: {
        'message-id': envelope.id,
        'message-type': 'orders.order-placed',
        'message-version': '2',
        'correlation-id': envelope.id,
        'causation-id': 'c1',
        traceparent,
        producer: 'orders',
        'content-type': 'application/json',
      },
    });
  });

  it('keys an envelope without a key by its id, and leaves absent optional headers out', () => {
    const envelope = createEnvelope(Placed, { orderId: 'o1' }, { producer: 'orders', now });
    const sut = encodeEnvelope(envelope, 't');
    expect(sut.key).toBe(envelope.id);
    expect(Object.keys(sut.headers)).not.toContain('causation-id');
    expect(Object.keys(sut.headers)).not.toContain('traceparent');
  });

  it('decodes what it encoded', () => {
    const envelope = createEnvelope(Placed, { orderId: 'o1' }, { producer: 'orders', key: 'o1', traceparent, now });
    expect(decodeEnvelope(readBack(encodeEnvelope(envelope, 't')))).toEqual(envelope);
  });

  it('refuses a value that is not an envelope, naming the record and what is wrong', () => {
    const record: KafkaInboundRecord = { topic: 't', partition: 0, offset: '3', key: null, value: 'nope', headers: {} };
    expect(() => decodeEnvelope(record)).toThrow(InvalidMessageError);
    expect(() => decodeEnvelope(record)).toThrow(/t\/0@3 is not JSON/);
    expect(() => decodeEnvelope({ ...record, value: '{"id":"x","payload":1}' })).toThrow(/missing or wrong type, occurredAt, correlationId, producer, version$/);
    expect(() => decodeEnvelope({ ...record, value: '[1]' })).toThrow(/not an object/);
  });

  it('stands in for an undecodable value with an envelope built from the headers', () => {
    const record: KafkaInboundRecord = { topic: 't', partition: 0, offset: '3', key: null, value: 'nope', headers: { 'message-id': 'm1', 'message-type': 'a.b' } };
    expect(fallbackEnvelope(record)).toMatchObject({ id: 'm1', type: 'a.b', correlationId: 'm1', producer: 'unknown', payload: 'nope' });
    expect(fallbackEnvelope({ ...record, headers: {} })).toMatchObject({ id: 't/0@3', type: 't' });
  });

  it('moves a message to a retry topic with its deliveries and not-before time, replacing earlier retry state', () => {
    const envelope = createEnvelope(Placed, { orderId: 'o1' }, { producer: 'orders', key: 'o1', now });
    const first = readBack(retryRecord(readBack(encodeEnvelope(envelope, 't')), 'g.t.retry', { deliveries: 1, notBefore: 1_000, error: 'boom' }));
    const second = readBack(retryRecord(first, 'g.t.retry', { deliveries: 2, notBefore: 5_000, error: 'again' }));
    expect(second).toMatchObject({ topic: 'g.t.retry', key: 'o1', value: JSON.stringify(envelope) });
    expect(second.headers).toMatchObject({ 'message-id': envelope.id, deliveries: '2', 'not-before': '5000', error: 'again' });
    expect([deliveriesOf(second), notBeforeOf(second)]).toEqual([2, 5_000]);
  });

  it('reads missing or garbled retry state as a fresh message', () => {
    const record: KafkaInboundRecord = { topic: 't', partition: 0, offset: '0', key: null, value: null, headers: { deliveries: 'x', 'not-before': 'soon' } };
    expect([deliveriesOf(record), notBeforeOf(record)]).toEqual([0, 0]);
  });

  it('dead-letters with reason, error, deliveries, time and group, and reads the dead letter back', () => {
    const envelope = createEnvelope(Placed, { orderId: 'o1' }, { producer: 'orders', now });
    const retried = readBack(retryRecord(readBack(encodeEnvelope(envelope, 't')), 'g.t.retry', { deliveries: 2, notBefore: 1, error: 'x' }));
    const meta = { group: 'billing', reason: 'handler-failed', error: 'boom', deliveries: 3, deadLetteredAt: '2025-01-01T10:00:01.000Z' } as const;
    const dead = readBack(deadLetterRecord(retried, 'billing.dlt', meta));
    expect(dead.headers).toMatchObject({ reason: 'handler-failed', error: 'boom', deliveries: '3', 'dead-lettered-at': meta.deadLetteredAt, group: 'billing' });
    expect(dead.headers).not.toHaveProperty('not-before');
    expect(decodeDeadLetter(dead, 'fallback')).toEqual({ envelope, ...meta });
  });

  it('cuts very long errors in headers', () => {
    const record = retryRecord({ topic: 't', partition: 0, offset: '0', key: 'k', value: '{}', headers: {} }, 'r', { deliveries: 1, notBefore: 0, error: 'x'.repeat(10_000) });
    expect(record.headers[KAFKA_HEADERS.error]).toHaveLength(2_000);
  });

  it('replays a dead letter with zero deliveries, due now, and copies one unchanged', () => {
    const dead: KafkaInboundRecord = {
      topic: 'g.dlt',
      partition: 0,
      offset: '4',
      key: 'o1',
      value: '{}',
      headers: { 'message-id': 'm1', reason: 'handler-failed', error: 'e', deliveries: '5', 'dead-lettered-at': 'x', group: 'g' },
    };
    expect(replayRecord(dead, 'g.t.retry', 42)).toEqual({ topic: 'g.t.retry', key: 'o1', value: '{}', headers: { 'message-id': 'm1', deliveries: '0', 'not-before': '42' } });
    expect(copyRecord(dead, 'g.dlt')).toEqual({ topic: 'g.dlt', key: 'o1', value: '{}', headers: dead.headers });
  });
});
