import { z } from 'zod';
import { createEnvelope } from '../envelope/envelope';
import { decodeEnvelope, encodeEnvelope, failedDeliveries, movedMessageOptions } from './rabbitmq.wire';

const Placed = { type: 'orders.order-placed', version: 2, schema: z.object({ orderId: z.string() }) } as const;
const envelope = createEnvelope(Placed, { orderId: 'o-1' }, {
  producer: 'orders',
  key: 'o-1',
  causationId: 'c-1',
  traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
  now: new Date('2025-01-02T03:04:05.678Z'),
});

describe(encodeEnvelope.name, () => {
  it('publishes the whole envelope as persistent JSON, with copies of its metadata for tooling', () => {
    const sut = encodeEnvelope(envelope);
    expect(JSON.parse(sut.content.toString())).toEqual(envelope);
    expect(sut.options).toEqual({
      persistent: true,
      contentType: 'application/json',
      messageId: envelope.id,
      type: 'orders.order-placed',
      appId: 'orders',
      correlationId: envelope.correlationId,
      timestamp: Date.UTC(2025, 0, 2, 3, 4, 5) / 1000,
      headers: { 'x-correlation-id': envelope.correlationId, 'x-causation-id': 'c-1', 'x-nestkit-version': 2, traceparent: envelope.traceparent },
    });
  });
});

describe(decodeEnvelope.name, () => {
  it('reads back what encodeEnvelope wrote, keeping fields it does not know', () => {
    const body = Buffer.from(JSON.stringify({ ...envelope, tenant: 't-1' }));
    expect(decodeEnvelope(body)).toEqual({ ok: true, envelope: { ...envelope, tenant: 't-1' } });
  });

  it('says why a body is not an envelope', () => {
    expect(decodeEnvelope(Buffer.from('{oops'))).toMatchObject({ ok: false, error: expect.stringMatching(/^message body is not JSON/) });
    const partial = Object.fromEntries(Object.entries(envelope).filter(([field]) => field !== 'id' && field !== 'producer'));
    expect(decodeEnvelope(Buffer.from(JSON.stringify(partial)))).toEqual({ ok: false, error: 'Invalid envelope: id, producer' });
  });
});

describe(movedMessageOptions.name, () => {
  it('keeps the message properties and own headers, drops what the broker and earlier moves added', () => {
    const properties = {
      ...encodeEnvelope(envelope).options,
      userId: 'someone-else',
      expiration: '1000',
      headers: {
        traceparent: envelope.traceparent,
        'x-nestkit-deliveries': 2,
        'x-nestkit-reason': 'handler-failed',
        'x-delivery-count': 4,
        'x-death': [{ count: 1 }],
        'x-first-death-queue': 'billing.retry.200',
        'x-last-death-reason': 'expired',
      },
    };
    const sut = movedMessageOptions({ properties } as never, { 'x-nestkit-deliveries': 3 });
    expect(sut).toMatchObject({ persistent: true, mandatory: true, messageId: envelope.id, type: envelope.type, correlationId: envelope.correlationId });
    expect(sut).not.toHaveProperty('userId');
    expect(sut).not.toHaveProperty('expiration');
    expect(sut.headers).toEqual({ traceparent: envelope.traceparent, 'x-nestkit-deliveries': 3 });
  });
});

describe(failedDeliveries.name, () => {
  it('reads the delivery header, treating anything else as a fresh message', () => {
    const withHeader = (value: unknown) => ({ properties: { headers: { 'x-nestkit-deliveries': value } } }) as never;
    expect([2, '3', undefined, -1, 'x'].map((value) => failedDeliveries(withHeader(value)))).toEqual([2, 3, 0, 0, 0]);
  });
});
