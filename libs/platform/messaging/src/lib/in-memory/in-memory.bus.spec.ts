import { z } from 'zod';
import { createEnvelope } from '../envelope/envelope';
import { describePublisher } from '../testing/publisher.conformance';
import { describeSubscriber } from '../testing/subscriber.conformance';
import { InMemoryBus } from './in-memory.bus';

const harness = () => {
  const bus = new InMemoryBus();
  return { publisher: bus, subscriber: bus, idle: () => bus.idle(), deadLetters: async () => bus.deadLetters(), close: () => bus.close() };
};

describeSubscriber(InMemoryBus.name, harness);
describePublisher(InMemoryBus.name, harness);

const Pinged = { type: 'test.pinged', version: 1, schema: z.object({ n: z.number() }) } as const;
const ping = (n: number) => createEnvelope(Pinged, { n }, { producer: 'test' });

describe(InMemoryBus.name, () => {
  let sut: InMemoryBus;

  beforeEach(() => {
    sut = new InMemoryBus();
  });
  afterEach(async () => {
    vi.useRealTimers();
    await sut.close();
  });

  it('never runs a handler inside the publish call stack', async () => {
    const handler = vi.fn(async () => undefined);
    sut.subscribe(Pinged, { group: 'g', handler });
    const publishing = sut.publish(ping(1));
    expect(handler).not.toHaveBeenCalled();
    await publishing;
    await sut.idle();
    expect(handler).toHaveBeenCalledTimes(1);
  });

  it('alternates competing consumers round-robin', async () => {
    const seen: string[] = [];
    sut.subscribe(Pinged, { group: 'g', handler: async ({ n }) => void seen.push(`a${n}`) });
    sut.subscribe(Pinged, { group: 'g', handler: async ({ n }) => void seen.push(`b${n}`) });
    await sut.publish([ping(1), ping(2), ping(3), ping(4)]);
    await sut.idle();
    expect(seen).toEqual(['a1', 'b2', 'a3', 'b4']);
  });

  it('redelivers after each configured delay, then dead-letters', async () => {
    vi.useFakeTimers();
    const deliveredAt: number[] = [];
    const handler = async (): Promise<void> => {
      deliveredAt.push(Date.now());
      throw new Error('still down');
    };
    sut.subscribe(Pinged, { group: 'g', maxDeliveries: 4, retryDelaysMs: [100, 1000], handler });
    const start = Date.now();
    await sut.publish(ping(1));
    await vi.advanceTimersByTimeAsync(0);
    expect(deliveredAt.map((t) => t - start)).toEqual([0]);
    await vi.advanceTimersByTimeAsync(99);
    expect(deliveredAt).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(deliveredAt.map((t) => t - start)).toEqual([0, 100]);
    await vi.advanceTimersByTimeAsync(2000);
    expect(deliveredAt.map((t) => t - start)).toEqual([0, 100, 1100, 2100]);
    expect(sut.deadLetters()).toMatchObject([{ reason: 'handler-failed', deliveries: 4, error: 'still down' }]);
  });

  it('drain() fires scheduled retries without waiting for their delays', async () => {
    let deliveries = 0;
    sut.subscribe(Pinged, { group: 'g', handler: async () => void (deliveries += 1) });
    sut.subscribe(Pinged, {
      group: 'h',
      maxDeliveries: 3,
      retryDelaysMs: [60_000],
      handler: async () => {
        throw new Error('always');
      },
    });
    await sut.publish(ping(1));
    await sut.drain();
    expect(deliveries).toBe(1);
    expect(sut.deadLetters()).toMatchObject([{ group: 'h', deliveries: 3 }]);
  });

  it('keeps messages for a group whose consumers left, and hands them to the next one', async () => {
    const first = sut.subscribe(Pinged, { group: 'g', handler: async () => undefined });
    await first.close();
    await sut.publish(ping(1));
    await sut.idle();
    const handler = vi.fn(async () => undefined);
    sut.subscribe(Pinged, { group: 'g', handler });
    await sut.idle();
    expect(handler).toHaveBeenCalledWith({ n: 1 }, expect.objectContaining({ type: 'test.pinged' }));
  });

  it('forgets a transient group, and what it would have kept, once its last consumer left', async () => {
    const first = sut.subscribe(Pinged, { group: 'g', transient: true, handler: async () => undefined });
    const second = sut.subscribe(Pinged, { group: 'g', transient: true, handler: async () => undefined });
    await first.close();
    await sut.publish(ping(1));
    await sut.idle();
    await second.close();
    await sut.publish(ping(2));
    const received: unknown[] = [];
    sut.subscribe(Pinged, { group: 'g', transient: true, handler: async (payload) => void received.push(payload) });
    await sut.publish(ping(3));
    await sut.idle();
    expect(received).toEqual([{ n: 3 }]);
  });

  it('drops the pending redelivery of a transient group whose consumer left', async () => {
    vi.useFakeTimers();
    const handler = vi.fn(async () => {
      throw new Error('fails');
    });
    const subscription = sut.subscribe(Pinged, { group: 'g', transient: true, retryDelaysMs: [1_000], handler });
    await sut.publish(ping(1));
    await vi.waitFor(() => expect(handler).toHaveBeenCalledTimes(1));
    await subscription.close();
    const next = vi.fn(async () => undefined);
    sut.subscribe(Pinged, { group: 'g', transient: true, handler: next });
    await vi.advanceTimersByTimeAsync(5_000);
    await sut.idle();
    expect(handler).toHaveBeenCalledTimes(1);
    expect(next).not.toHaveBeenCalled();
    expect(sut.deadLetters()).toEqual([]);
  });

  it('hands the handler a copy, as a broker would', async () => {
    const received: unknown[] = [];
    sut.subscribe(Pinged, { group: 'g', handler: async (payload) => void received.push(payload) });
    const envelope = ping(1);
    await sut.publish(envelope);
    await sut.idle();
    expect(received[0]).toEqual({ n: 1 });
    expect(received[0]).not.toBe(envelope.payload);
  });

  it('reports handler errors and dead letters to its hooks', async () => {
    const onHandlerError = vi.fn();
    const onDeadLetter = vi.fn();
    const bus = new InMemoryBus({ onHandlerError, onDeadLetter });
    bus.subscribe(Pinged, { group: 'g', maxDeliveries: 1, handler: async () => Promise.reject(new Error('nope')) });
    await bus.publish(ping(1));
    await bus.idle();
    expect(onHandlerError).toHaveBeenCalledWith(new Error('nope'), expect.objectContaining({ type: 'test.pinged' }), 'g');
    expect(onDeadLetter).toHaveBeenCalledWith(expect.objectContaining({ group: 'g', reason: 'handler-failed' }));
    await bus.close();
  });

  it('rejects bad subscribe options with a message naming them', () => {
    const handler = async () => undefined;
    expect(() => sut.subscribe(Pinged, { group: ' ', handler })).toThrow(/group must not be empty/);
    expect(() => sut.subscribe(Pinged, { group: 'g', maxDeliveries: 0, handler })).toThrow(/maxDeliveries/);
    expect(() => sut.subscribe(Pinged, { group: 'g', retryDelaysMs: [], handler })).toThrow(/retryDelaysMs/);
  });

  it('refuses to publish once closed', async () => {
    await sut.close();
    await expect(sut.publish(ping(1))).rejects.toMatchObject({ code: 'messaging.bus-closed', retryable: true });
  });

  describe('shared()', () => {
    it('returns one bus per process, kept on globalThis, and replaces it once closed', async () => {
      const shared = InMemoryBus.shared();
      expect(InMemoryBus.shared()).toBe(shared);
      expect((globalThis as Record<symbol, unknown>)[Symbol.for('nestkit.messaging.in-memory')]).toBe(shared);
      await shared.close();
      expect(InMemoryBus.shared()).not.toBe(shared);
    });
  });
});
