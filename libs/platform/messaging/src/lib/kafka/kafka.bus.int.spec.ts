import { infraUrls, waitFor } from '@nestkit/testing';
import { deferred, type Tick, tick, tickContract } from '../testing/conformance.fixtures';
import { KAFKA_CLIENTS, type KafkaClientName } from './kafka-bus.options';
import type { KafkaClient } from './kafka.client';
import { type KafkaHarness, kafkaHarness, type KafkaHarnessOptions } from './kafka.harness';

const brokers = infraUrls().kafkaBrokers;
const opened: KafkaHarness[] = [];

function aHarness(client: KafkaClientName, options: Partial<KafkaHarnessOptions> = {}): KafkaHarness {
  const harness = kafkaHarness({ brokers, client, ...options });
  opened.push(harness);
  return harness;
}

afterEach(async () => {
  const harnesses = opened.splice(0);
  await Promise.allSettled(harnesses.map((h) => h.close()));
  await Promise.allSettled(harnesses.map((h) => h.deleteTopics()));
});

/** Lets the first `limit` commits through and drops the rest, as a process that dies before committing would. */
function commitsOnly(limit: number): (client: KafkaClient) => KafkaClient {
  let commits = 0;
  return (client) => ({
    ...client,
    consume: (options) =>
      client.consume({
        ...options,
        onRecord: (record, commit) =>
          options.onRecord(record, async () => {
            commits += 1;
            if (commits <= limit) await commit();
          }),
      }),
  });
}

describe.each(KAFKA_CLIENTS)('KafkaBus on %s', (client) => {
  it('dead-letters a poison message after exactly maxDeliveries while the messages behind it on its partition are handled', async () => {
    const sut = aHarness(client);
    const contract = tickContract();
    const events: { n: number; ok: boolean; at: number }[] = [];
    sut.subscriber.subscribe(contract, {
      group: 'orders',
      maxDeliveries: 3,
      // Long enough that the four messages behind the poison one are handled and committed before its first
      // retry even on a loaded CI box, so the order below proves the partition is not blocked.
      retryDelaysMs: [2_000],
      handler: async ({ n }) => {
        events.push({ n, ok: n !== 1, at: Date.now() });
        if (n === 1) throw new Error('poison');
      },
    });
    await sut.subscriber.start();
    await sut.publisher.publish([1, 2, 3, 4, 5].map((n) => tick(contract, n, 'order-1')));
    await sut.idle();

    const poison = events.filter((e) => !e.ok);
    expect(poison).toHaveLength(3);
    expect(events.filter((e) => e.ok).map((e) => e.n)).toEqual([2, 3, 4, 5]);
    // Everything behind the poison message was handled before its first retry.
    expect(events.slice(0, 5).map((e) => e.n)).toEqual([1, 2, 3, 4, 5]);
    expect(poison[1].at - poison[0].at).toBeGreaterThanOrEqual(1_950);
    expect(poison[2].at - poison[1].at).toBeGreaterThanOrEqual(1_950);
    const deadLetters = await sut.deadLetters();
    expect(deadLetters).toMatchObject([{ group: 'orders', reason: 'handler-failed', error: 'poison', deliveries: 3, envelope: { payload: { n: 1 } } }]);
  });

  it('redelivers after a restart what was handled but not committed when the process died, and loses nothing', async () => {
    const first = aHarness(client, { wrapClient: commitsOnly(3), keepTopics: true });
    const contract = tickContract();
    const beforeCrash: number[] = [];
    first.subscriber.subscribe(contract, { group: 'billing', handler: async ({ n }) => void beforeCrash.push(n) });
    await first.subscriber.start();
    await first.publisher.publish(Array.from({ length: 10 }, (_, i) => tick(contract, i + 1, `key-${i % 3}`)));
    await waitFor(() => beforeCrash.length === 10, { what: 'the first process to handle all ten messages' });
    await first.close();

    const second = aHarness(client, { topicPrefix: first.topicPrefix });
    const afterRestart: number[] = [];
    second.subscriber.subscribe(contract, { group: 'billing', handler: async ({ n }) => void afterRestart.push(n) });
    await second.subscriber.start();
    await second.idle();

    expect(new Set([...beforeCrash, ...afterRestart])).toEqual(new Set(Array.from({ length: 10 }, (_, i) => i + 1)));
    // Exactly the seven messages whose commits were lost come again; the three committed ones do not.
    expect(afterRestart).toHaveLength(7);
    expect(afterRestart.every((n) => beforeCrash.indexOf(n) >= 3)).toBe(true);
  });

  it('on close, finishes and commits the message in hand and leaves the rest to the next consumer', async () => {
    const first = aHarness(client, { keepTopics: true });
    const contract = tickContract();
    const gate = deferred();
    const inHand = deferred();
    const handledFirst: number[] = [];
    first.subscriber.subscribe(contract, {
      group: 'shipping',
      handler: async ({ n }) => {
        if (n === 3) {
          inHand.resolve();
          await gate.promise;
        }
        handledFirst.push(n);
      },
    });
    await first.subscriber.start();
    await first.publisher.publish([1, 2, 3, 4, 5, 6].map((n) => tick(contract, n, 'parcel-1')));
    await inHand.promise;
    const closing = first.bus.close();
    setTimeout(gate.resolve, 50);
    await closing;
    expect(handledFirst).toEqual([1, 2, 3]);

    const second = aHarness(client, { topicPrefix: first.topicPrefix });
    const handledSecond: number[] = [];
    second.subscriber.subscribe(contract, { group: 'shipping', handler: async ({ n }) => void handledSecond.push(n) });
    await second.subscriber.start();
    await second.idle();
    expect(handledSecond).toEqual([4, 5, 6]);
  });

  it('lists dead letters without consuming them and replays them for a fresh set of deliveries', async () => {
    const sut = aHarness(client);
    const contract = tickContract();
    let healthy = false;
    const handled: number[] = [];
    sut.subscriber.subscribe(contract, {
      group: 'audit',
      maxDeliveries: 1,
      handler: async ({ n }) => {
        if (!healthy && n < 3) throw new Error(`down for ${n}`);
        handled.push(n);
      },
    });
    await sut.subscriber.start();
    // One key, so one partition: the three are handled, and the first two dead-lettered, in publish order.
    // (Across partitions dead letters interleave as their partitions' handlers run, in no fixed order.)
    const [one, two, three] = [1, 2, 3].map((n) => tick(contract, n, 'audit-1'));
    await sut.publisher.publish(one);
    await sut.publisher.publish([two, three]);
    await sut.idle();
    expect(handled).toEqual([3]);

    const listed = await sut.admin.list('audit');
    expect(listed.map((d) => d.envelope.id)).toEqual([one.id, two.id]);
    expect(await sut.admin.list('audit')).toEqual(listed);
    expect(await sut.admin.list('audit', 1)).toEqual(listed.slice(0, 1));
    expect(await sut.admin.queues()).toEqual([{ group: 'audit', location: `${sut.topicPrefix}audit.dlt`, count: 2 }]);

    healthy = true;
    expect(await sut.admin.replay('audit', { ids: [two.id] })).toBe(1);
    await sut.idle();
    expect(handled).toEqual([3, 2]);
    expect((await sut.admin.list('audit')).map((d) => d.envelope.id)).toEqual([one.id]);
    expect(await sut.admin.replay('audit')).toBe(1);
    await sut.idle();
    expect(handled).toEqual([3, 2, 1]);
    expect(await sut.admin.list('audit')).toEqual([]);
    expect(await sut.admin.queues()).toEqual([{ group: 'audit', location: `${sut.topicPrefix}audit.dlt`, count: 0 }]);
    expect(await sut.admin.replay('audit')).toBe(0);
  });
});

describe('KafkaBus client switch', () => {
  it('continues a group from its committed offsets when the client changes', async () => {
    const contract = tickContract();
    const onKafkajs = aHarness('kafkajs', { keepTopics: true });
    const seen: string[] = [];
    const subscribe = (h: KafkaHarness, name: string) =>
      h.subscriber.subscribe(contract, { group: 'mailer', handler: async ({ n }: Tick) => void seen.push(`${name}:${n}`) });
    subscribe(onKafkajs, 'kafkajs');
    await onKafkajs.subscriber.start();
    await onKafkajs.publisher.publish([1, 2, 3].map((n) => tick(contract, n, 'user-1')));
    await onKafkajs.idle();
    await onKafkajs.close();

    const onPlatformatic = aHarness('platformatic', { topicPrefix: onKafkajs.topicPrefix });
    subscribe(onPlatformatic, 'platformatic');
    await onPlatformatic.subscriber.start();
    await onPlatformatic.publisher.publish([4, 5].map((n) => tick(contract, n, 'user-1')));
    await onPlatformatic.idle();
    expect(seen).toEqual(['kafkajs:1', 'kafkajs:2', 'kafkajs:3', 'platformatic:4', 'platformatic:5']);
  });
});
