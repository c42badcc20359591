// `npm run bench:messaging`: events per second through our RabbitMQ and Kafka paths, side by side with
// the raw client in the same run (amqplib on a confirm channel; kafkajs with acks=all and idempotence),
// against the brokers of scripts/infra. Two measures per path:
// - publish: confirmed publishes (batches of BATCH envelopes, each batch awaited), as the outbox relay sends;
// - end to end: published, consumed and acknowledged (ours: handler resolved; raw: ack after the callback).
import { connect } from 'amqplib';
import { Kafka, logLevel } from 'kafkajs';
import { createEnvelope, type Envelope, KafkaBus, type KafkaClientName, RabbitMqBus } from '@nestkit/messaging';
import { infraUrls, uniqueName } from '@nestkit/testing';
import { z } from 'zod';

const EVENTS = Number(process.env['BENCH_EVENTS'] ?? 10_000);
const BATCH = 100;
const Tick = { type: 'bench.ticked', version: 1, schema: z.object({ n: z.number().int() }) };

const envelopes = (): Envelope[] => Array.from({ length: EVENTS }, (_, n) => createEnvelope(Tick, { n }, { producer: 'bench', key: String(n % 16) }));
const rate = (started: number) => Math.round(EVENTS / ((performance.now() - started) / 1_000));

async function inBatches<T>(items: readonly T[], send: (batch: readonly T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < items.length; i += BATCH) await send(items.slice(i, i + BATCH));
}

/** Publishes every envelope and waits until a subscriber handled them all; returns [publish/s, end-to-end/s]. */
async function ours(bus: RabbitMqBus | KafkaBus): Promise<[number, number]> {
  let handled = 0;
  let done!: () => void;
  const all = new Promise<void>((resolve) => (done = resolve));
  bus.subscribe(Tick, { group: uniqueName('bench'), handler: async () => void (++handled === EVENTS && done()) });
  await bus.start();
  const started = performance.now();
  await inBatches(envelopes(), (batch) => bus.publish(batch));
  const published = rate(started);
  await all;
  const endToEnd = rate(started);
  await bus.close();
  return [published, endToEnd];
}

async function rawAmqp(url: string): Promise<[number, number]> {
  const connection = await connect(url);
  const channel = await connection.createConfirmChannel();
  const exchange = uniqueName('bench-raw');
  const queue = uniqueName('bench-raw');
  await channel.assertExchange(exchange, 'topic', { durable: true });
  await channel.assertQueue(queue, { durable: true, arguments: { 'x-queue-type': 'quorum' } });
  await channel.bindQueue(queue, exchange, Tick.type);
  const consumer = await connection.createChannel();
  await consumer.prefetch(16);
  let handled = 0;
  let done!: () => void;
  const all = new Promise<void>((resolve) => (done = resolve));
  await consumer.consume(queue, (message) => {
    if (!message) return;
    JSON.parse(message.content.toString());
    consumer.ack(message);
    if (++handled === EVENTS) done();
  });
  const started = performance.now();
  await inBatches(envelopes(), async (batch) => {
    for (const envelope of batch) channel.publish(exchange, envelope.type, Buffer.from(JSON.stringify(envelope)), { persistent: true, messageId: envelope.id });
    await channel.waitForConfirms();
  });
  const published = rate(started);
  await all;
  const endToEnd = rate(started);
  await channel.deleteQueue(queue);
  await channel.deleteExchange(exchange);
  await connection.close();
  return [published, endToEnd];
}

async function rawKafka(brokers: string[]): Promise<[number, number]> {
  const kafka = new Kafka({ clientId: 'bench', brokers, logLevel: logLevel.NOTHING });
  const topic = uniqueName('bench-raw');
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 3, replicationFactor: 1 }], waitForLeaders: true });
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const consumer = kafka.consumer({ groupId: uniqueName('bench-raw') });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let handled = 0;
  let done!: () => void;
  const all = new Promise<void>((resolve) => (done = resolve));
  await consumer.run({
    autoCommit: false,
    eachMessage: async ({ message, partition }) => {
      JSON.parse(String(message.value));
      await consumer.commitOffsets([{ topic, partition, offset: String(Number(message.offset) + 1) }]);
      if (++handled === EVENTS) done();
    },
  });
  const started = performance.now();
  await inBatches(envelopes(), (batch) =>
    producer.send({ topic, acks: -1, messages: batch.map((envelope) => ({ key: envelope.key ?? envelope.id, value: JSON.stringify(envelope) })) }),
  );
  const published = rate(started);
  await all;
  const endToEnd = rate(started);
  await Promise.all([consumer.disconnect(), producer.disconnect()]);
  await admin.deleteTopics({ topics: [topic] });
  await admin.disconnect();
  return [published, endToEnd];
}

async function main(): Promise<void> {
  const { rabbitmqUrl, kafkaBrokers } = infraUrls();
  const rows: Array<[string, [number, number]]> = [];
  const run = async (name: string, bench: () => Promise<[number, number]>) => {
    process.stderr.write(`bench: ${name} ...\n`);
    rows.push([name, await bench()]);
  };
  await run('nestkit RabbitMqBus', () => ours(new RabbitMqBus({ url: rabbitmqUrl, service: 'bench', exchange: uniqueName('bench') })));
  await run('amqplib confirm channel (raw)', () => rawAmqp(rabbitmqUrl));
  for (const client of ['kafkajs', 'platformatic'] as KafkaClientName[]) {
    await run(`nestkit KafkaBus (${client})`, () => ours(new KafkaBus({ brokers: kafkaBrokers, service: 'bench', client, topicPrefix: `${uniqueName('bench')}.` })));
  }
  await run('kafkajs (raw)', () => rawKafka(kafkaBrokers));
  console.log(`\n${EVENTS} events of ~${JSON.stringify(envelopes()[0]).length} bytes, batches of ${BATCH}; events/s (higher is better)\n`);
  console.log('| path | publish (confirmed) | end to end (handled + acked) |');
  console.log('| --- | ---: | ---: |');
  for (const [name, [published, endToEnd]] of rows) console.log(`| ${name} | ${published} | ${endToEnd} |`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
