import { ValidationError } from '@nestkit/errors';
import { z } from 'zod';
import { causedBy, createEnvelope } from './envelope';

const OrderPlaced = {
  type: 'orders.order-placed',
  version: 1,
  schema: z.object({ orderId: z.string().min(1), items: z.array(z.object({ quantity: z.number().int().min(1) })) }),
} as const;

describe(createEnvelope.name, () => {
  const now = new Date('2025-01-01T10:00:00.000Z');

  it('wraps a valid payload with routing and tracing metadata', () => {
    const sut = createEnvelope(OrderPlaced, { orderId: 'o1', items: [{ quantity: 2 }] }, { producer: 'orders', key: 'o1', now });
    expect(sut).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
      type: 'orders.order-placed',
      version: 1,
      occurredAt: '2025-01-01T10:00:00.000Z',
      correlationId: sut.id,
      producer: 'orders',
      key: 'o1',
      payload: { orderId: 'o1', items: [{ quantity: 2 }] },
    });
  });

  it('carries the signed identity of the sender when given', () => {
    const identity = { token: 'eyJhbGciOiJFZERTQSJ9.e30.c2ln' };
    expect(createEnvelope(OrderPlaced, { orderId: 'o1', items: [] }, { producer: 'orders', identity }).identity).toEqual(identity);
  });

  it('stores the parsed payload, without keys the schema does not know', () => {
    const payload = { orderId: 'o1', items: [], secret: 'x' } as unknown as z.infer<typeof OrderPlaced.schema>;
    expect(createEnvelope(OrderPlaced, payload, { producer: 'orders' }).payload).toEqual({ orderId: 'o1', items: [] });
  });

  it('throws a ValidationError naming the failing field', () => {
    let error: unknown;
    try {
      createEnvelope(OrderPlaced, { orderId: 'o1', items: [{ quantity: 0 }] }, { producer: 'orders' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues.map((i) => i.path)).toEqual(['items.0.quantity']);
    expect((error as Error).message).toBe('Invalid orders.order-placed payload: items.0.quantity');
  });
});

describe(causedBy.name, () => {
  it('carries the correlation id and trace, and points at the parent as the cause', () => {
    const parent = createEnvelope(OrderPlaced, { orderId: 'o1', items: [] }, {
      producer: 'orders',
      correlationId: 'flow-1',
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
    });
    const sut = createEnvelope(OrderPlaced, { orderId: 'o2', items: [] }, { producer: 'catalog', ...causedBy(parent) });
    expect(sut).toMatchObject({ correlationId: 'flow-1', causationId: parent.id, traceparent: parent.traceparent });
    expect(sut.id).not.toBe(parent.id);
  });
});
