import { infraUrls, waitFor } from '@nestkit/testing';
import { deferred, tick, tickContract } from '../testing/conformance.fixtures';
import type { RabbitMqLogEntry } from './rabbitmq-bus.options';
import { RabbitMqBus } from './rabbitmq.bus';
import { RabbitMqTestHarness } from './rabbitmq.harness';

const url = infraUrls().rabbitmqUrl;

describe(`${RabbitMqBus.name} close`, () => {
  let harness: RabbitMqTestHarness;

  beforeEach(() => {
    harness = new RabbitMqTestHarness(url);
  });
  afterEach(async () => harness.close());

  it('stops consuming, waits for the running handler and acknowledges its message before disconnecting', async () => {
    const contract = tickContract();
    const gate = deferred();
    const events: string[] = [];
    const sut = harness.sibling();
    sut.subscribe(contract, { group: 'work', handler: async () => void (events.push('started'), await gate.promise, events.push('finished')) });
    await sut.start();
    await sut.publish(tick(contract, 1));
    await waitFor(() => events.includes('started'), { what: 'the handler to start' });

    const closed = sut.close().then(() => events.push('closed'));
    await new Promise((resolve) => setTimeout(resolve, 100));
    events.push('released');
    gate.resolve();
    await closed;
    expect(events).toEqual(['started', 'released', 'finished', 'closed']);

    // Acknowledged: the next consumer of the group gets nothing.
    const next: number[] = [];
    harness.subscriber.subscribe(contract, { group: 'work', handler: async ({ n }) => void next.push(n) });
    await harness.subscriber.start();
    await harness.publisher.publish(tick(contract, 2));
    await harness.idle();
    expect(next).toEqual([2]);
  });

  it('gives up on a handler that does not finish within closeTimeoutMs; its message is redelivered', async () => {
    const contract = tickContract();
    const logged: RabbitMqLogEntry[] = [];
    const sut = harness.sibling({ closeTimeoutMs: 300, log: (entry) => logged.push(entry) });
    const hung: number[] = [];
    sut.subscribe(contract, { group: 'work', handler: async ({ n }) => void (hung.push(n), await new Promise(() => undefined)) });
    await sut.start();
    await sut.publish(tick(contract, 1));
    await waitFor(() => hung.length === 1, { what: 'the handler to start' });

    const started = Date.now();
    await sut.close();
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);
    expect(logged.map((entry) => entry.event)).toContain('close-timeout');
    const redelivered: number[] = [];
    harness.subscriber.subscribe(contract, { group: 'work', handler: async ({ n }) => void redelivered.push(n) });
    await harness.subscriber.start();
    await waitFor(() => redelivered.length === 1, { what: 'the message to be redelivered' });
    expect(redelivered).toEqual([1]);
  });
});
