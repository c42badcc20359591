// Smoke test of the brokers scripts/infra/ starts: each accepts a publish and delivers it. The
// messaging lib's RabbitMQ and Kafka backends get their own conformance tests; this only proves the
// servers are there and usable, so a failure points at the infrastructure, not at our code.
import { infraUrls, uniqueName } from '@nestkit/testing';
import { connect } from 'amqplib';
import { Kafka, logLevel } from 'kafkajs';

describe('RabbitMQ from scripts/infra', () => {
  it('accepts a confirmed, persistent publish and delivers it to a durable queue', async () => {
    const connection = await connect(infraUrls().rabbitmqUrl, { timeout: 5_000 });
    const queue = uniqueName('smoke');
    try {
      const channel = await connection.createConfirmChannel();
      await channel.assertQueue(queue, { durable: true, arguments: { 'x-queue-type': 'quorum' } });
      const body = Buffer.from(JSON.stringify({ hello: queue }));
      channel.sendToQueue(queue, body, { persistent: true, contentType: 'application/json' });
      await channel.waitForConfirms();

      const received = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no delivery on ${queue} within 10 s`)), 10_000);
        void channel.consume(queue, (message) => {
          if (!message) return;
          clearTimeout(timer);
          channel.ack(message);
          resolve(message.content.toString());
        });
      });
      expect(JSON.parse(received)).toEqual({ hello: queue });
      await channel.deleteQueue(queue);
      await channel.close();
    } finally {
      await connection.close();
    }
  });
});

describe('Kafka from scripts/infra', () => {
  it('accepts an acks=all publish and delivers it to a consumer group', async () => {
    const kafka = new Kafka({ clientId: 'nestkit-smoke', brokers: infraUrls().kafkaBrokers, logLevel: logLevel.NOTHING, connectionTimeout: 5_000, requestTimeout: 10_000 });
    const topic = uniqueName('smoke');
    const admin = kafka.admin();
    const producer = kafka.producer({ idempotent: true });
    const consumer = kafka.consumer({ groupId: uniqueName('smoke-group') });
    await admin.connect();
    try {
      await admin.createTopics({ topics: [{ topic, numPartitions: 1, replicationFactor: 1 }], waitForLeaders: true });
      await producer.connect();
      await producer.send({ topic, acks: -1, messages: [{ key: 'k1', value: JSON.stringify({ hello: topic }) }] });

      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      const received = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no delivery on ${topic} within 30 s`)), 30_000);
        void consumer.run({
          eachMessage: async ({ message }) => {
            clearTimeout(timer);
            resolve(message.value?.toString() ?? '');
          },
        });
      });
      expect(JSON.parse(received)).toEqual({ hello: topic });
    } finally {
      await consumer.disconnect();
      await producer.disconnect();
      await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
      await admin.disconnect();
    }
  }, 60_000);
});
