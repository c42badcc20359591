import { Order, OrderCancelled, OrderConfirmed, OrderPlaced, OrderRejected, OrderStatus, PlaceOrderRequest } from '../index';

const paths = (result: { success: boolean; error?: { issues: { path: PropertyKey[] }[] } }) =>
  result.error?.issues.map((issue) => issue.path.join('.')) ?? [];

describe('@nestkit/contracts/orders', () => {
  describe('PlaceOrderRequest', () => {
    it('accepts 1 to 50 lines', () => {
      const body = { items: [{ productId: 'p1', quantity: 1000 }] };
      expect(PlaceOrderRequest.parse(body)).toEqual(body);
    });

    it.each([
      [{ items: [] }, ['items']],
      [{ items: Array.from({ length: 51 }, () => ({ productId: 'p', quantity: 1 })) }, ['items']],
      [{ items: [{ productId: '', quantity: 1 }] }, ['items.0.productId']],
      [{ items: [{ productId: 'p', quantity: 1 }, { productId: 'p', quantity: 0 }] }, ['items.1.quantity']],
      [{ items: [{ productId: 'p', quantity: 1001 }] }, ['items.0.quantity']],
      [{ items: [{ productId: 'p', quantity: 1.5 }] }, ['items.0.quantity']],
      [{ items: [{ productId: 'p', quantity: 1, price: 0 }] }, ['items.0']],
      [{ items: [{ productId: 'p', quantity: 1 }], userId: 'someone-else' }, ['']],
    ])('rejects %j at %j', (input, expected) => {
      expect(paths(PlaceOrderRequest.safeParse(input))).toEqual(expected);
    });

    it('reports unknown keys by name', () => {
      const issue = PlaceOrderRequest.safeParse({ items: [{ productId: 'p', quantity: 1 }], userId: 'x' }).error!.issues[0];
      expect(issue).toMatchObject({ code: 'unrecognized_keys', keys: ['userId'] });
    });
  });

  describe('Order', () => {
    const order = {
      id: 'o1',
      userId: 'u1',
      status: 'REJECTED',
      reason: 'out of stock',
      items: [{ productId: 'p1', quantity: 2 }],
      createdAt: '2025-01-01T10:00:00.000Z',
      updatedAt: '2025-01-01T10:00:01.000Z',
    };

    it('accepts an order view', () => {
      expect(Order.parse(order)).toEqual(order);
    });

    it('rejects an unknown status and a non-ISO timestamp', () => {
      expect(paths(Order.safeParse({ ...order, status: 'SHIPPED', createdAt: 'yesterday' }))).toEqual(['status', 'createdAt']);
    });

    it('lists the statuses', () => {
      expect(OrderStatus.options).toEqual(['PENDING', 'CONFIRMED', 'REJECTED', 'CANCELLED']);
    });

    it('accepts a cancelled order with its reason', () => {
      const cancelled = { ...order, status: 'CANCELLED', reason: 'stock reservation timed out after 30000 ms' };
      expect(Order.parse(cancelled)).toEqual(cancelled);
    });
  });

  describe('events', () => {
    it('name the messages with version 1', () => {
      expect([OrderPlaced, OrderConfirmed, OrderRejected, OrderCancelled].map((c) => `${c.type}@${c.version}`)).toEqual([
        'orders.order-placed@1',
        'orders.order-confirmed@1',
        'orders.order-rejected@1',
        'orders.order-cancelled@1',
      ]);
    });

    it('validate their payloads', () => {
      expect(OrderPlaced.schema.safeParse({ orderId: 'o1', userId: 'u1', items: [{ productId: 'p1', quantity: 1 }] }).success).toBe(true);
      expect(paths(OrderPlaced.schema.safeParse({ orderId: 'o1', userId: 'u1', items: [] }))).toEqual(['items']);
      expect(paths(OrderConfirmed.schema.safeParse({ orderId: 'o1' }))).toEqual(['userId']);
      expect(paths(OrderRejected.schema.safeParse({ orderId: 'o1', userId: 'u1' }))).toEqual(['reason']);
      expect(OrderCancelled.schema.safeParse({ orderId: 'o1', userId: 'u1', reason: 'timed out' }).success).toBe(true);
      expect(paths(OrderCancelled.schema.safeParse({ orderId: 'o1', userId: '', reason: '' }))).toEqual(['userId', 'reason']);
    });
  });
});
