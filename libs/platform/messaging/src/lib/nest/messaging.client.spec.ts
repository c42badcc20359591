import { TimeoutError, UnavailableError, ValidationError } from '@nestkit/errors';
import { lastValueFrom } from 'rxjs';
import { z } from 'zod';
import { InMemoryBus } from '../in-memory/in-memory.bus';
import { RecordingPublisher } from '../testing/recording.publisher';
import { MessagingClient } from './messaging.client';
import { MessagingRecord } from './messaging.record';

const OrderPlaced = { type: 'test.order-placed', version: 1, schema: z.object({ orderId: z.string().min(1) }) } as const;
const ReserveStock = { type: 'test.reserve-stock', version: 1, schema: z.object({ sku: z.string() }) } as const;

describe(MessagingClient.name, () => {
  let bus: InMemoryBus;
  let publisher: RecordingPublisher;

  beforeEach(() => {
    bus = new InMemoryBus();
    publisher = new RecordingPublisher();
  });
  afterEach(async () => {
    vi.useRealTimers();
    await bus.close();
  });

  describe('emit', () => {
    const client = () => new MessagingClient({ publisher, subscriber: bus, service: 'orders', contracts: [OrderPlaced] });

    it('publishes an event envelope and completes once the publisher accepted it', async () => {
      const sut = client();
      await lastValueFrom(sut.emit(OrderPlaced.type, new MessagingRecord({ orderId: 'o-1' }, { key: 'o-1', correlationId: 'flow-1' })), {
        defaultValue: undefined,
      });
      expect(publisher.published).toMatchObject([
        { type: 'test.order-placed', version: 1, producer: 'orders', key: 'o-1', correlationId: 'flow-1', payload: { orderId: 'o-1' } },
      ]);
    });

    it('puts the traceparent a dispatch hook sets in packet metadata into the envelope', async () => {
      const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
      const sut = client();
      sut.setOnDispatchHook((packet) => (packet.metadata = { traceparent }));
      await lastValueFrom(sut.emit(OrderPlaced, { orderId: 'o-1' }), { defaultValue: undefined });
      expect(publisher.published).toMatchObject([{ traceparent }]);
    });

    it('rejects data that breaks the contract, naming the field, and publishes nothing', async () => {
      const emitted = lastValueFrom(client().emit(OrderPlaced.type, { orderId: '' }));
      await expect(emitted).rejects.toBeInstanceOf(ValidationError);
      await expect(emitted).rejects.toThrow('Invalid test.order-placed payload: orderId');
      expect(publisher.calls).toBe(0);
    });

    it('fails when the publisher does not accept the event', async () => {
      publisher.failNext(1);
      await expect(lastValueFrom(client().emit(OrderPlaced.type, { orderId: 'o-1' }))).rejects.toBeInstanceOf(UnavailableError);
    });

    it('refuses a pattern with no contract, saying how to fix it', async () => {
      await expect(lastValueFrom(client().emit('test.unknown', { orderId: 'o-1' }))).rejects.toThrow(
        'MessagingClient has no contract for pattern "test.unknown": add it to the client\'s `contracts` option, or pass the contract itself',
      );
    });
  });

  describe('send', () => {
    it('fails with a TimeoutError naming the pattern and the timeout when nobody answers', async () => {
      vi.useFakeTimers();
      const sut = new MessagingClient({ publisher: bus, subscriber: bus, service: 'orders', requestTimeoutMs: 1_000 });
      let outcome: unknown;
      lastValueFrom(sut.send(ReserveStock, { sku: 'a' })).then(
        (value) => (outcome = value),
        (error: unknown) => (outcome = error),
      );
      await vi.advanceTimersByTimeAsync(999);
      expect(outcome).toBeUndefined();
      await vi.advanceTimersByTimeAsync(1);
      expect(outcome).toBeInstanceOf(TimeoutError);
      expect((outcome as TimeoutError).code).toBe('messaging.request-timeout');
      expect((outcome as TimeoutError).message).toContain('No reply to "test.reserve-stock" within 1000 ms');
      await sut.close();
    });

    it('lets one request set its own timeout', async () => {
      vi.useFakeTimers();
      const sut = new MessagingClient({ publisher: bus, subscriber: bus, service: 'orders' });
      const reply = lastValueFrom(sut.send(ReserveStock, new MessagingRecord({ sku: 'a' }, { timeoutMs: 50 })));
      const settled = expect(reply).rejects.toThrow('within 50 ms');
      await vi.advanceTimersByTimeAsync(50);
      await settled;
      await sut.close();
    });

    it('fails the requests still waiting when closed', async () => {
      const sut = new MessagingClient({ publisher, subscriber: bus, service: 'orders' });
      const reply = lastValueFrom(sut.send(ReserveStock, { sku: 'a' }));
      await vi.waitFor(() => expect(publisher.types()).toEqual([ReserveStock.type]));
      expect(publisher.published[0].payload).toEqual({ replyTo: expect.stringMatching(/^orders\.replies\./), data: { sku: 'a' } });
      await sut.close();
      await expect(reply).rejects.toThrow('MessagingClient closed before "test.reserve-stock" was answered');
    });

    it('fails at once when the request cannot be published', async () => {
      publisher.failNext(1);
      const sut = new MessagingClient({ publisher, subscriber: bus, service: 'orders' });
      await expect(lastValueFrom(sut.send(ReserveStock, { sku: 'a' }))).rejects.toBeInstanceOf(UnavailableError);
      await sut.close();
    });

    it('refuses a timeout that is not a positive number of milliseconds', () => {
      expect(() => new MessagingClient({ publisher, subscriber: bus, service: 'orders', requestTimeoutMs: 0 })).toThrow(
        'MessagingClient: requestTimeoutMs must be a number of milliseconds > 0, got 0',
      );
    });
  });
});
