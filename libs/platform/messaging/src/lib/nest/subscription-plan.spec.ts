import { z } from 'zod';
import { ContractRegistry } from './contract-registry';
import { MESSAGING_EXTRAS } from './handler-extras';
import { planSubscriptions, type RegisteredHandler } from './subscription-plan';

const OrderPlaced = { type: 'orders.order-placed', version: 1, schema: z.object({ orderId: z.string() }) } as const;
const ReserveStock = { type: 'catalog.reserve-stock', version: 1, schema: z.object({ sku: z.string() }) } as const;

const decorated = (contract: typeof OrderPlaced | typeof ReserveStock, handler: string, options: object = {}) => ({
  [MESSAGING_EXTRAS]: { contract, handler, ...options },
});

describe(planSubscriptions.name, () => {
  const context = { service: 'catalog', registry: new ContractRegistry([OrderPlaced], 'test') };
  const event = (extras: Record<string, unknown> = {}, pattern: string = OrderPlaced.type): RegisteredHandler<string> => ({
    pattern,
    kind: 'event',
    handler: 'h',
    extras,
  });

  it('names groups <service>.<group option | method name | pattern>', () => {
    const sut = planSubscriptions(
      [event(decorated(OrderPlaced, 'onOrderPlaced')), event(decorated(OrderPlaced, 'audit', { group: 'audit-log' })), event({ group: 'stats' }), event()],
      context,
    );
    expect(sut.map((p) => p.group)).toEqual([
      'catalog.onOrderPlaced',
      'catalog.audit-log',
      'catalog.stats',
      'catalog.orders.order-placed',
    ]);
    expect(sut.every((p) => p.contract === OrderPlaced)).toBe(true);
  });

  it("takes delivery options from the handler, else from the transport's defaults", () => {
    const sut = planSubscriptions([event({ maxDeliveries: 2 }), event(decorated(OrderPlaced, 'x', { retryDelaysMs: [5] }))], {
      ...context,
      maxDeliveries: 7,
      retryDelaysMs: [100],
    });
    expect(sut.map(({ maxDeliveries, retryDelaysMs }) => ({ maxDeliveries, retryDelaysMs }))).toEqual([
      { maxDeliveries: 2, retryDelaysMs: [100] },
      { maxDeliveries: 7, retryDelaysMs: [5] },
    ]);
  });

  it('lists every pattern without a contract, with the fix for its kind', () => {
    const handlers: RegisteredHandler<string>[] = [
      event({}, 'orders.unknown'),
      { pattern: 'catalog.unknown-request', kind: 'request', handler: 'h' },
    ];
    expect(() => planSubscriptions(handlers, context)).toThrow(
      'MessagingTransport for "catalog" cannot start:\n' +
        '- no message contract for pattern "orders.unknown" (@EventPattern): add its contract to the `contracts` option of ' +
        'MessagingTransport, or declare the handler with @OnEvent(Contract)\n' +
        '- no message contract for pattern "catalog.unknown-request" (@MessagePattern): add its contract to the `contracts` option of ' +
        'MessagingTransport, or declare the handler with @OnRequest(Contract)',
    );
  });

  it('refuses two handlers of one event in one group', () => {
    expect(() => planSubscriptions([event(decorated(OrderPlaced, 'handle')), event(decorated(OrderPlaced, 'handle'))], context)).toThrow(
      'two handlers of "orders.order-placed" share consumer group "catalog.handle"',
    );
  });

  it('refuses a type handled both as an event and as a request, and two request handlers of one type', () => {
    const request = (handler: string): RegisteredHandler<string> => ({
      pattern: ReserveStock.type,
      kind: 'request',
      handler,
      extras: decorated(ReserveStock, handler),
    });
    expect(() => planSubscriptions([request('a'), request('b')], context)).toThrow(
      '"catalog.reserve-stock" has 2 request handlers; a request gets one reply, so keep one',
    );
    expect(() => planSubscriptions([request('a'), { ...event(decorated(ReserveStock, 'e')), pattern: ReserveStock.type }], context)).toThrow(
      '"catalog.reserve-stock" has both event and request handlers',
    );
  });
});

describe(ContractRegistry.name, () => {
  it('refuses two different contracts for one type', () => {
    expect(() => new ContractRegistry([OrderPlaced, { ...OrderPlaced, version: 2 }], 'MessagingTransport')).toThrow(
      'MessagingTransport: two different contracts for "orders.order-placed" in `contracts`; list each message type once',
    );
  });
});
