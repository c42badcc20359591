import { UnavailableError } from '@nestkit/errors';
import { freePort, infraUrls, waitFor } from '@nestkit/testing';
import { type ConfirmChannel, connect } from 'amqplib';
import type { Envelope } from '../envelope/envelope';
import { deferred, type Tick, tick, tickContract } from '../testing/conformance.fixtures';
import type { RabbitMqBusOptions, RabbitMqLogEntry } from './rabbitmq-bus.options';
import { closeConnectionsNamed } from './rabbitmq-broker.fixture';
import { RabbitMqBus } from './rabbitmq.bus';
import { RabbitMqTestHarness } from './rabbitmq.harness';

const url = infraUrls().rabbitmqUrl;
const opened: RabbitMqTestHarness[] = [];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function aHarness(overrides: Partial<RabbitMqBusOptions> = {}): RabbitMqTestHarness {
  const harness = new RabbitMqTestHarness(url, overrides);
  opened.push(harness);
  return harness;
}

/** What the outbox relay does: publish again until the broker confirms. */
async function publishUntilConfirmed(bus: RabbitMqBus, batch: Envelope<Tick>[]): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await bus.publish(batch);
    } catch (error) {
      if (attempt === 50) throw error;
      await sleep(50);
    }
  }
}

async function withRawChannel<T>(use: (channel: ConfirmChannel) => Promise<T>): Promise<T> {
  const connection = await connect(url, { timeout: 5_000 });
  try {
    return await use(await connection.createConfirmChannel());
  } finally {
    await connection.close();
  }
}

afterEach(async () => {
  await Promise.all(opened.splice(0).map((harness) => harness.close()));
});

describe(`${RabbitMqBus.name} failures`, () => {
  it('reconnects after the broker closes its connection mid-flow; every message is handled and a publish during the outage waits', async () => {
    const events: RabbitMqLogEntry['event'][] = [];
    // The first reconnect comes 1.5-3 s after the cut (jittered between half and all of initialMs): an outage
    // long enough that the publish below is issued during it even when the test worker stalls for a while.
    const sut = aHarness({ reconnect: { initialMs: 3_000, maxMs: 6_000 }, log: (entry) => events.push(entry.event) });
    const contract = tickContract();
    const handled = new Set<number>();
    sut.bus.subscribe(contract, { group: 'flow', handler: async ({ n }) => void (await sleep(1), handled.add(n)) });
    await sut.bus.start();
    const published: number[] = [];
    let flowing = true;
    const flow = (async () => {
      for (let next = 1; flowing; next += 5) {
        const batch = [0, 1, 2, 3, 4].map((i) => tick(contract, next + i));
        await publishUntilConfirmed(sut.bus, batch);
        published.push(...batch.map((envelope) => envelope.payload.n));
        await sleep(5);
      }
    })();
    await waitFor(() => handled.size >= 20, { what: '20 messages handled before the cut' });

    const cutAt = events.length;
    const sinceCut = () => events.slice(cutAt).filter((event) => event === 'connected' || event === 'disconnected');
    const closing = closeConnectionsNamed(sut.bus.connectionName);
    await waitFor(() => sinceCut().includes('disconnected'), { what: 'the bus to notice the cut', intervalMs: 5 });
    expect(sinceCut(), 'the publish below is issued during the outage').toEqual(['disconnected']);
    await sut.bus.publish(tick(contract, 0));
    // It resolved only once the bus was back, after exactly one reconnect.
    expect(sinceCut()).toEqual(['disconnected', 'connected']);
    expect(await closing).toBe(1);

    const publishedAtReconnect = published.length;
    await waitFor(() => published.length >= publishedAtReconnect + 20, { what: '20 more messages published after the reconnect' });
    flowing = false;
    await flow;
    await waitFor(() => [0, ...published].every((n) => handled.has(n)), { what: 'every published message handled', timeoutMs: 15_000 });
    expect(events.filter((event) => event === 'disconnected')).toHaveLength(1);
  });

  it('redelivers the message of a consumer whose connection died mid-handler to another consumer', async () => {
    // The "crashed" consumer stays away for the whole test.
    const sut = aHarness({ reconnect: { initialMs: 20_000, maxMs: 20_000 }, log: () => undefined });
    const contract = tickContract();
    const stuck = deferred();
    const seenByFirst: string[] = [];
    sut.bus.subscribe(contract, { group: 'work', handler: async (_payload, envelope) => void (seenByFirst.push(envelope.id), await stuck.promise) });
    await sut.bus.start();
    const envelope = tick(contract, 1);
    await sut.bus.publish(envelope);
    await waitFor(() => seenByFirst.length === 1, { what: 'the first consumer to take the message' });
    const second = sut.sibling();
    const seenBySecond: string[] = [];
    second.subscribe(contract, { group: 'work', handler: async (_payload, delivered) => void seenBySecond.push(delivered.id) });
    await second.start();
    await sleep(200);
    expect(seenBySecond).toEqual([]);

    await closeConnectionsNamed(sut.bus.connectionName);
    await waitFor(() => seenBySecond.length === 1, { what: 'the second consumer to get the message' });
    stuck.resolve();
    expect(seenBySecond).toEqual([envelope.id]);
    expect(seenByFirst).toEqual([envelope.id]);
  });

  it('dead-letters a poison message after exactly maxDeliveries, with growing delays, while the messages behind it flow', async () => {
    const sut = aHarness({ prefetch: 1 });
    const contract = tickContract();
    const poisonAt: number[] = [];
    const goodAt: number[] = [];
    const handler = async ({ n }: Tick) => {
      if (n > 0) return void goodAt.push(Date.now());
      poisonAt.push(Date.now());
      throw new Error('poison');
    };
    sut.subscriber.subscribe(contract, { group: 'line', maxDeliveries: 3, retryDelaysMs: [400, 800], handler });
    await sut.subscriber.start();
    await sut.publisher.publish(Array.from({ length: 21 }, (_, n) => tick(contract, n)));
    await sut.idle();

    expect(poisonAt).toHaveLength(3);
    expect(goodAt).toHaveLength(20);
    expect(Math.max(...goodAt)).toBeLessThan(poisonAt[1]);
    expect(poisonAt[1] - poisonAt[0]).toBeGreaterThanOrEqual(380);
    expect(poisonAt[2] - poisonAt[1]).toBeGreaterThanOrEqual(780);
    expect(await sut.deadLetters()).toMatchObject([{ group: 'line', reason: 'handler-failed', error: 'poison', deliveries: 3 }]);
  });

  it('dead-letters a body that is not an envelope, without calling the handler', async () => {
    const sut = aHarness();
    const contract = tickContract();
    const handler = vi.fn(async () => undefined);
    sut.subscriber.subscribe(contract, { group: 'strict', handler });
    await sut.subscriber.start();
    await withRawChannel(async (channel) => {
      channel.publish(sut.bus.topology().exchange, contract.type, Buffer.from('not json'), { messageId: 'raw-1', type: contract.type });
      await channel.waitForConfirms();
    });
    const [dead] = await waitFor(async () => {
      const letters = await sut.deadLetters();
      return letters.length > 0 && letters;
    }, { what: 'the raw message to be dead-lettered' });
    expect(dead).toMatchObject({ group: 'strict', reason: 'invalid-payload', deliveries: 1, envelope: { id: 'raw-1', type: contract.type, payload: 'not json' } });
    expect(dead.error).toMatch(/not JSON/);
    expect(handler).not.toHaveBeenCalled();
  });

  it('rejects a publish the broker did not confirm (exchange deleted), then declares the exchange again on reconnect', async () => {
    const sut = aHarness({ log: () => undefined });
    const contract = tickContract();
    const handled: number[] = [];
    sut.subscriber.subscribe(contract, { group: 'g', handler: async ({ n }) => void handled.push(n) });
    await sut.subscriber.start();
    await withRawChannel((channel) => channel.deleteExchange(sut.bus.topology().exchange));

    await expect(sut.bus.publish(tick(contract, 1))).rejects.toMatchObject({ code: 'messaging.publish-failed', retryable: true });
    await sut.publisher.publish(tick(contract, 2));
    await sut.idle();
    expect(handled).toEqual([2]);
  });

  it('rejects start and publish after their timeouts when RabbitMQ is unreachable, naming the URL without its password', async () => {
    const bus = new RabbitMqBus({ url: `amqp://nestkit:s3cret@127.0.0.1:${await freePort()}`, service: 'unreachable', connectTimeoutMs: 300, publishTimeoutMs: 300, log: () => undefined });
    try {
      const published = await bus.publish(tick(tickContract(), 1)).catch((error: unknown) => error);
      expect(published).toBeInstanceOf(UnavailableError);
      expect((published as Error).message).toMatch(/^No connection to RabbitMQ at amqp:\/\/nestkit:\*\*\*@127\.0\.0\.1:\d+ within \d+ ms \(last error: .*ECONNREFUSED/);
      expect((published as Error).message).toContain('Check that the broker is running');
      const started = await bus.start().catch((error: unknown) => error);
      expect(started).toMatchObject({ code: 'messaging.broker-unavailable', retryable: true });
      expect((started as Error).message).not.toContain('s3cret');
    } finally {
      await bus.close();
    }
  });
});
