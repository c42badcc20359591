import { infraUrls, waitFor } from '@nestkit/testing';
import { type Tick, tick, tickContract } from '../testing/conformance.fixtures';
import { RabbitMqDeadLetterAdmin } from './rabbitmq.dead-letter.admin';
import { RabbitMqTestHarness } from './rabbitmq.harness';

const url = infraUrls().rabbitmqUrl;

describe(RabbitMqDeadLetterAdmin.name, () => {
  let harness: RabbitMqTestHarness;
  let sut: RabbitMqDeadLetterAdmin;
  let failing: boolean;
  let handled: number[];
  const contract = tickContract();

  beforeEach(async () => {
    harness = new RabbitMqTestHarness(url);
    sut = harness.admin;
    failing = true;
    handled = [];
    const handler = async ({ n }: Tick) => {
      if (failing) throw new Error(`cannot handle ${n} yet`);
      handled.push(n);
    };
    harness.subscriber.subscribe(contract, { group: 'billing', maxDeliveries: 2, retryDelaysMs: [1], handler });
    await harness.subscriber.start();
  });
  afterEach(async () => harness.close());

  /** Dead-letters `ns`, one after the other so that they sit in the DLQ in this order. */
  async function deadLetter(...ns: number[]): Promise<void> {
    for (const n of ns) {
      await harness.publisher.publish(tick(contract, n));
      await harness.idle();
    }
  }

  it('lists dead letters oldest first with reason, error and deliveries, without removing them', async () => {
    await deadLetter(1, 2, 3);

    const first = await sut.list('billing');
    expect(first.map((letter) => letter.envelope.payload)).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    expect(first[0]).toMatchObject({ group: 'billing', reason: 'handler-failed', error: 'cannot handle 1 yet', deliveries: 2 });
    expect(Date.parse(first[0].deadLetteredAt)).not.toBeNaN();
    expect(await sut.list('billing', 2)).toEqual(first.slice(0, 2));
    expect(await sut.list('billing')).toEqual(first);
    const location = `${harness.namespace}.billing.dlq`;
    await waitFor(async () => (await sut.queues()).find((queue) => queue.count === 3), { what: 'the DLQ count to show 3' });
    expect(await sut.queues()).toEqual([{ group: 'billing', location, count: 3 }]);
  });

  it('replays dead letters to their group with a fresh delivery count, and they get handled', async () => {
    await deadLetter(1, 2);
    failing = false;

    expect(await sut.replay('billing')).toBe(2);
    await waitFor(() => handled.length === 2, { what: 'the replayed messages to be handled' });
    expect(handled.sort()).toEqual([1, 2]);
    expect(await sut.list('billing')).toEqual([]);
  });

  it('replays only the ids asked for, keeping the others in order', async () => {
    await deadLetter(1, 2, 3);
    const [one, two, three] = await sut.list('billing');
    failing = false;

    expect(await sut.replay('billing', { ids: [two.envelope.id] })).toBe(1);
    await waitFor(() => handled.length === 1, { what: 'the replayed message to be handled' });
    expect(handled).toEqual([2]);
    expect(await sut.list('billing')).toEqual([one, three]);
  });

  it('stops a replay at the copies it sent that failed again, instead of cycling', async () => {
    // Enough that the first copies fail twice and are back in the DLQ before the replay reaches the end.
    const ns = Array.from({ length: 30 }, (_, i) => i + 1);
    await harness.publisher.publish(ns.map((n) => tick(contract, n)));
    await harness.idle();

    expect(await sut.replay('billing')).toBe(30);
    await waitFor(async () => (await sut.list('billing')).length === 30, { what: 'every replayed message to be dead-lettered again' });
    const again = await sut.list('billing');
    expect(again.map((letter) => (letter.envelope.payload as Tick).n).sort((a, b) => a - b)).toEqual(ns);
    expect(again.every((letter) => letter.deliveries === 2)).toBe(true);
  });

  it('reports no queue for a group that never dead-lettered anything, and lists nothing for it', async () => {
    const admin = new RabbitMqDeadLetterAdmin({ url, groups: ['never-subscribed'], queuePrefix: `${harness.namespace}.` });
    try {
      expect(await admin.queues()).toEqual([]);
      expect(await admin.list('never-subscribed')).toEqual([]);
      expect(await admin.replay('never-subscribed')).toBe(0);
    } finally {
      await admin.close();
    }
  });
});
