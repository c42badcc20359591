import { randomUUID } from 'node:crypto';
import { infraUrls } from '@nestkit/testing';
import { connect } from 'amqplib';
import { tick, tickContract } from '../testing/conformance.fixtures';
import { describePublisher } from '../testing/publisher.conformance';
import { describeSubscriber } from '../testing/subscriber.conformance';
import { RabbitMqBus } from './rabbitmq.bus';
import { rabbitMqHarness, RabbitMqTestHarness } from './rabbitmq.harness';

const url = infraUrls().rabbitmqUrl;

describeSubscriber(RabbitMqBus.name, rabbitMqHarness(url));
describePublisher(RabbitMqBus.name, rabbitMqHarness(url));

describe(`${RabbitMqBus.name} topology`, () => {
  let harness: RabbitMqTestHarness;

  beforeEach(() => {
    harness = new RabbitMqTestHarness(url);
  });
  afterEach(async () => harness.close());

  it('declares quorum queues for a group, and expiring classic ones for a per-instance reply group', async () => {
    const contract = tickContract();
    const replies = `orders.replies.${randomUUID()}`;
    const handled: string[] = [];
    let replyFailures = 0;
    harness.subscriber.subscribe(contract, { group: 'billing', handler: async () => void handled.push('billing') });
    harness.subscriber.subscribe(contract, {
      group: replies,
      retryDelaysMs: [1],
      handler: async () => {
        if (replyFailures++ === 0) throw new Error('first delivery fails');
        handled.push('replies');
      },
    });
    await harness.subscriber.start();
    await harness.publisher.publish(tick(contract, 1));
    await harness.idle();
    expect(handled.sort()).toEqual(['billing', 'replies']);

    const ns = harness.namespace;
    const connection = await connect(url, { timeout: 5_000 });
    try {
      // Redeclaring with other arguments fails, so these succeed only if the bus declared exactly these.
      const channel = await connection.createChannel();
      channel.on('error', () => undefined);
      const deadLetterTo = (queue: string) => ({ 'x-dead-letter-exchange': '', 'x-dead-letter-routing-key': queue });
      const atLeastOnce = { 'x-dead-letter-strategy': 'at-least-once', 'x-overflow': 'reject-publish' };
      await channel.assertQueue(`${ns}.billing`, { durable: true, arguments: { 'x-queue-type': 'quorum', ...deadLetterTo(`${ns}.billing.dlq`), ...atLeastOnce, 'x-delivery-limit': 20 } });
      await channel.assertQueue(`${ns}.billing.retry.200`, { durable: true, arguments: { 'x-queue-type': 'quorum', 'x-message-ttl': 200, ...deadLetterTo(`${ns}.billing`), ...atLeastOnce } });
      await channel.assertQueue(`${ns}.billing.dlq`, { durable: true, arguments: { 'x-queue-type': 'quorum', 'x-delivery-limit': 1_000_000 } });
      await channel.assertQueue(`${ns}.${replies}`, { durable: false, arguments: { 'x-queue-type': 'classic', 'x-expires': 60_000 } });
      await channel.assertQueue(`${ns}.${replies}.retry.1`, { durable: false, arguments: { 'x-queue-type': 'classic', 'x-expires': 60_001, 'x-message-ttl': 1, ...deadLetterTo(`${ns}.${replies}`) } });
      await expect(channel.assertQueue(`${ns}.billing`, { durable: false })).rejects.toThrow(/PRECONDITION_FAILED/);
    } finally {
      await connection.close().catch(() => undefined);
    }
  });

  it('declares expiring classic queues for a group subscribed as transient, and refuses it as durable too', async () => {
    const contract = tickContract();
    const group = `gateway.cache-purge.${randomUUID()}`;
    const handled: number[] = [];
    harness.subscriber.subscribe(contract, { group, transient: true, handler: async (payload) => void handled.push(payload.n) });
    expect(() => harness.subscriber.subscribe(contract, { group, handler: async () => undefined })).toThrow(
      `RabbitMQ consumer group "${group}" is transient here; it cannot also be subscribed as durable`,
    );
    await harness.subscriber.start();
    await harness.publisher.publish(tick(contract, 7));
    await harness.idle();
    expect(handled).toEqual([7]);

    const connection = await connect(url, { timeout: 5_000 });
    try {
      const channel = await connection.createChannel();
      channel.on('error', () => undefined);
      const main = `${harness.namespace}.${group}`;
      await channel.assertQueue(main, { durable: false, arguments: { 'x-queue-type': 'classic', 'x-expires': 60_000 } });
      await channel.assertQueue(`${main}.dlq`, { durable: false, arguments: { 'x-queue-type': 'classic', 'x-expires': 60_000 } });
      await expect(channel.assertQueue(main, { durable: true, arguments: { 'x-queue-type': 'quorum' } })).rejects.toThrow(/PRECONDITION_FAILED/);
    } finally {
      await connection.close().catch(() => undefined);
    }
  });
});
