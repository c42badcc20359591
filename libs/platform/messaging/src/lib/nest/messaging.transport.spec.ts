import type { INestMicroservice, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { MicroserviceOptions } from '@nestjs/microservices';
import { createEnvelope, type Envelope } from '../envelope/envelope';
import { InMemoryBus } from '../in-memory/in-memory.bus';
import { deferred } from '../testing/conformance.fixtures';
import { MessagingExceptionFilter } from './messaging-exception.filter';
import { MessagingTransport, type MessagingTransportOptions } from './messaging.transport';
import {
  AuditHandlers,
  FailingHandlers,
  ObservableHandlers,
  OrderPlaced,
  PlainHandlers,
  Probe,
  StockHandlers,
  UndeclaredHandlers,
} from './transport-handlers.fixtures';

const order = (orderId = 'o-1', quantity = 2) => createEnvelope(OrderPlaced, { orderId, quantity }, { producer: 'shop', key: orderId });

describe(MessagingTransport.name, () => {
  let bus: InMemoryBus;
  let probe: Probe;
  let app: INestMicroservice | undefined;

  beforeEach(() => {
    bus = new InMemoryBus();
    probe = new Probe();
  });
  afterEach(async () => {
    await app?.close();
    app = undefined;
    await bus.close();
  });

  async function boot(
    controllers: Type[],
    options: Partial<MessagingTransportOptions> = {},
    setup: (microservice: INestMicroservice) => void = () => undefined,
  ): Promise<INestMicroservice> {
    const strategy = new MessagingTransport({ subscriber: bus, publisher: bus, service: 'orders', ...options });
    app = await NestFactory.createMicroservice<MicroserviceOptions>(
      { module: class TestModule {}, controllers, providers: [{ provide: Probe, useValue: probe }] },
      { strategy, logger: false },
    );
    setup(app);
    await app.listen();
    return app;
  }

  it('calls the handler with the payload the contract parsed and the envelope in the context', async () => {
    await boot([StockHandlers]);
    const sent = order();
    await bus.publish({ ...sent, payload: { ...sent.payload, unknownKey: 'stripped' } });
    await bus.idle();
    expect(probe.seen).toEqual([
      { handler: 'stock', payload: { orderId: 'o-1', quantity: 2 }, envelope: sent, pattern: OrderPlaced.type },
    ]);
  });

  it('gives each handler its own group <service>.<method | group option>, so both get every event', async () => {
    const subscribe = vi.spyOn(bus, 'subscribe');
    await boot([StockHandlers, AuditHandlers]);
    await bus.publish([order('o-1'), order('o-2')]);
    await bus.idle();
    expect(subscribe.mock.calls.map(([contract, options]) => `${contract.type} ${options.group}`).sort()).toEqual([
      'test.order-placed orders.audit',
      'test.order-placed orders.onOrderPlaced',
    ]);
    expect(probe.seen.map((s) => `${s.handler}:${(s.payload as OrderPlaced).orderId}`).sort()).toEqual([
      'audit:o-1',
      'audit:o-2',
      'stock:o-1',
      'stock:o-2',
    ]);
  });

  it('retries a throwing handler, then dead-letters the event with its error', async () => {
    await boot([FailingHandlers]);
    await bus.publish(order());
    await bus.idle();
    expect(probe.failures).toBe(3);
    expect(bus.deadLetters()).toMatchObject([
      { group: 'orders.onOrderPlaced', reason: 'handler-failed', error: 'boom 3', deliveries: 3, envelope: { payload: { orderId: 'o-1' } } },
    ]);
  });

  it('dead-letters at once when the handler throws InvalidMessageError', async () => {
    await boot([FailingHandlers]);
    await bus.publish(order('poison'));
    await bus.idle();
    expect(probe.failures).toBe(1);
    expect(bus.deadLetters()).toMatchObject([{ reason: 'invalid-payload', error: 'order poison can never be handled', deliveries: 1 }]);
  });

  it('dead-letters a payload that breaks the contract without calling the handler', async () => {
    await boot([StockHandlers]);
    await bus.publish({ ...order(), payload: { orderId: 'o-1', quantity: 'two' } } as Envelope);
    await bus.idle();
    expect(probe.seen).toEqual([]);
    expect(bus.deadLetters()).toMatchObject([{ group: 'orders.onOrderPlaced', reason: 'invalid-payload', deliveries: 1 }]);
    expect(bus.deadLetters()[0].error).toContain('quantity');
  });

  it('acknowledges only after the handler finished', async () => {
    const gate = deferred();
    probe.gate = gate.promise;
    await boot([StockHandlers]);
    const events: string[] = [];
    await bus.publish(order());
    const idle = bus.idle().then(() => events.push('acked'));
    await vi.waitFor(() => expect(probe.seen).toHaveLength(1));
    await new Promise((resolve) => setTimeout(resolve, 20));
    events.push('released');
    gate.resolve();
    await idle;
    expect(events).toEqual(['released', 'acked']);
  });

  it('awaits an observable handler, and treats its error like a thrown one', async () => {
    const gate = deferred();
    probe.gate = gate.promise;
    await boot([ObservableHandlers]);
    await bus.publish([order('o-1'), order('stream-error')]);
    let acked = false;
    const idle = bus.idle().then(() => (acked = true));
    await vi.waitFor(() => expect(probe.seen).toHaveLength(1));
    expect(acked).toBe(false);
    gate.resolve();
    await idle;
    expect(bus.deadLetters()).toMatchObject([{ reason: 'handler-failed', error: 'stream boom', envelope: { payload: { orderId: 'stream-error' } } }]);
  });

  it('validates plain @EventPattern handlers against the `contracts` option, in group <service>.<pattern>', async () => {
    await boot([PlainHandlers], { contracts: [OrderPlaced] }, (microservice) => microservice.useGlobalFilters(new MessagingExceptionFilter()));
    await bus.publish([order('o-1'), { ...order('o-2'), payload: { orderId: '' } } as Envelope, order('fail')]);
    await bus.idle();
    expect(probe.seen.map((s) => s.payload)).toEqual([{ orderId: 'o-1', quantity: 2 }]);
    expect(bus.deadLetters().map((d) => `${d.group} ${d.reason} ${d.deliveries}`)).toEqual([
      'orders.test.order-placed invalid-payload 1',
      'orders.test.order-placed handler-failed 2',
    ]);
    expect(bus.deadLetters()[1].error).toBe('plain boom');
  });

  it("without MessagingExceptionFilter, keeps the message of Nest's default filter", async () => {
    await boot([PlainHandlers], { contracts: [OrderPlaced] });
    await bus.publish(order('fail'));
    await bus.idle();
    expect(bus.deadLetters()).toMatchObject([{ reason: 'handler-failed', error: 'Internal server error', deliveries: 2 }]);
  });

  it('refuses to start when a pattern has no contract, naming it and the fix', async () => {
    const started = boot([StockHandlers, UndeclaredHandlers]);
    await expect(started).rejects.toThrow('no message contract for pattern "test.never-declared" (@EventPattern)');
    await expect(started).rejects.toThrow('add its contract to the `contracts` option of MessagingTransport, or declare the handler with @OnEvent(Contract)');
    await bus.publish(order());
    await bus.idle();
    expect(probe.seen).toEqual([]);
  });

  it('close awaits the handler in flight, then stops delivery', async () => {
    const gate = deferred();
    probe.gate = gate.promise;
    await boot([StockHandlers]);
    await bus.publish(order('o-1'));
    await vi.waitFor(() => expect(probe.seen).toHaveLength(1));
    let closed = false;
    const closing = app!.close().then(() => (closed = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(closed).toBe(false);
    gate.resolve();
    await closing;
    app = undefined;
    await bus.publish(order('o-2'));
    await bus.idle();
    expect(probe.seen.map((s) => (s.payload as OrderPlaced).orderId)).toEqual(['o-1']);
  });
});
