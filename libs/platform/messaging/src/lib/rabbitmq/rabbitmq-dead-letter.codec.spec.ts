import { z } from 'zod';
import { createEnvelope } from '../envelope/envelope';
import { decodeDeadLetter, envelopeOf } from './rabbitmq-dead-letter.codec';
import { deadLetterHeaders, encodeEnvelope } from './rabbitmq.wire';

const Placed = { type: 'orders.order-placed', version: 1, schema: z.object({ orderId: z.string() }) } as const;
const envelope = createEnvelope(Placed, { orderId: 'o-1' }, { producer: 'orders' });

describe(decodeDeadLetter.name, () => {
  it('reads the reason, error, deliveries and time this bus wrote', () => {
    const at = new Date('2025-01-02T03:04:05.000Z');
    const { content, options } = encodeEnvelope(envelope);
    const headers = { ...options.headers, ...deadLetterHeaders('billing', 'handler-failed', 'boom', 5, at) };
    expect(decodeDeadLetter({ content, properties: { ...options, headers } } as never, 'ignored')).toEqual({
      envelope,
      group: 'billing',
      reason: 'handler-failed',
      error: 'boom',
      deliveries: 5,
      deadLetteredAt: '2025-01-02T03:04:05.000Z',
    });
  });

  it('cuts a long error, since header tables are limited', () => {
    const headers = deadLetterHeaders('billing', 'handler-failed', 'x'.repeat(5_000), 1, new Date());
    expect(headers['x-nestkit-error']).toHaveLength(1_001);
  });

  it("explains a message the broker dead-lettered from x-death", () => {
    const { content, options } = encodeEnvelope(envelope);
    const headers = { 'x-death': [{ queue: 'billing', reason: 'delivery_limit', count: 1 }], 'x-nestkit-deliveries': 1 };
    expect(decodeDeadLetter({ content, properties: { ...options, headers } } as never, 'billing')).toMatchObject({
      group: 'billing',
      reason: 'handler-failed',
      error: expect.stringMatching(/^dead-lettered by RabbitMQ from billing: delivery_limit \(returned unacknowledged too often/),
      deliveries: 1,
      deadLetteredAt: '',
    });
  });
});

describe(envelopeOf.name, () => {
  it('describes a body that is not an envelope from the AMQP properties, with the raw body as payload', () => {
    const properties = { messageId: 'm-1', type: 'orders.order-placed', appId: 'legacy', timestamp: 1_735_787_045, headers: {} };
    expect(envelopeOf({ content: Buffer.from('<xml/>'), properties } as never)).toEqual({
      id: 'm-1',
      type: 'orders.order-placed',
      version: 0,
      occurredAt: '2025-01-02T03:04:05.000Z',
      correlationId: '',
      producer: 'legacy',
      payload: '<xml/>',
    });
  });
});
