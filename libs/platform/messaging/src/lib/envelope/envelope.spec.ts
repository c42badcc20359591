import { ValidationError } from '@nestkit/errors';
import { z } from 'zod';
import { tracer } from '@nestkit/tracing';
import { parentOf, recordSpans, spansNamed } from '@nestkit/tracing/testing';
import { context, trace } from '@opentelemetry/api';
import { causedBy, createEnvelope } from './envelope';

const spans = recordSpans();

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
  const parentTrace = '0af7651916cd43dd8448eb211c80319c';
  const parentOptions = { producer: 'orders', correlationId: 'flow-1', traceparent: `00-${parentTrace}-b7ad6b7169203331-01`, tracestate: 'vendor=1' };

  it('points at the parent as the cause and continues its trace as a child, not as a copy of it', () => {
    spans.reset();
    const parent = createEnvelope(OrderPlaced, { orderId: 'o1', items: [] }, parentOptions);
    const sut = createEnvelope(OrderPlaced, { orderId: 'o2', items: [] }, { producer: 'catalog', ...causedBy(parent) });
    expect(sut).toMatchObject({ correlationId: 'flow-1', causationId: parent.id, tracestate: 'vendor=1' });
    expect(sut.id).not.toBe(parent.id);
    // Outside any span: a child span of the parent's is started (and ended), and the message carries it.
    const [child] = spansNamed(spans.getFinishedSpans(), 'orders.order-placed caused');
    expect(child?.spanContext().traceId).toBe(parentTrace);
    expect(parentOf(child!)).toBe('b7ad6b7169203331');
    expect(sut.traceparent).toBe(`00-${parentTrace}-${child?.spanContext().spanId}-01`);
  });

  it("uses the active span when it belongs to the parent's trace (the handler's CONSUMER span)", () => {
    spans.reset();
    const parent = createEnvelope(OrderPlaced, { orderId: 'o1', items: [] }, parentOptions);
    const parentContext = trace.setSpanContext(context.active(), { traceId: parentTrace, spanId: 'b7ad6b7169203331', traceFlags: 1, isRemote: true });
    const consumer = tracer().startSpan('process orders.order-placed', {}, parentContext);
    const sut = context.with(trace.setSpan(parentContext, consumer), () => createEnvelope(OrderPlaced, { orderId: 'o2', items: [] }, { producer: 'catalog', ...causedBy(parent) }));
    consumer.end();
    expect(sut.traceparent).toBe(`00-${parentTrace}-${consumer.spanContext().spanId}-01`);
    expect(spansNamed(spans.getFinishedSpans(), 'orders.order-placed caused')).toHaveLength(0);
  });

  it('carries the active span when created without a cause, e.g. by a request handler', () => {
    const request = tracer().startSpan('POST /orders');
    const sut = context.with(trace.setSpan(context.active(), request), () => createEnvelope(OrderPlaced, { orderId: 'o3', items: [] }, { producer: 'orders' }));
    request.end();
    expect(sut.traceparent).toBe(`00-${request.spanContext().traceId}-${request.spanContext().spanId}-01`);
  });
});
