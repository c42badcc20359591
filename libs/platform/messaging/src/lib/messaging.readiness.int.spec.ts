import { freePort, infraUrls } from '@nestkit/testing';
import { InMemoryBus } from './in-memory/in-memory.bus';
import { KafkaBus } from './kafka/kafka.bus';
import { MessagingReadiness } from './messaging.readiness';
import { RabbitMqBus } from './rabbitmq/rabbitmq.bus';

/** Issue 11: readiness includes the broker connections, degraded (not failed) while one is down. */
describe(MessagingReadiness.name, () => {
  const closing: Array<{ close(): Promise<void> }> = [];
  afterAll(async () => {
    await Promise.all(closing.map((backend) => backend.close().catch(() => undefined)));
  });

  it('is non-critical: a broker outage degrades readiness instead of taking instances out of rotation', () => {
    expect(new MessagingReadiness(InMemoryBus.shared(), InMemoryBus.shared()).critical).toBe(false);
  });

  it('passes on live RabbitMQ and Kafka connections, and on the embedded bus', async () => {
    const rabbit = new RabbitMqBus({ url: infraUrls().rabbitmqUrl, service: 'readiness', log: () => undefined });
    const kafka = new KafkaBus({ brokers: infraUrls().kafkaBrokers, service: 'readiness' });
    closing.push(rabbit, kafka);
    await rabbit.start();
    await new MessagingReadiness(rabbit, kafka).check();
    await new MessagingReadiness(InMemoryBus.shared(), InMemoryBus.shared()).check();
  });

  it('names each broker it cannot reach, within the check timeout', async () => {
    const [amqpPort, kafkaPort] = [await freePort(), await freePort()];
    const rabbit = new RabbitMqBus({ url: `amqp://nestkit:s3cret@127.0.0.1:${amqpPort}`, service: 'readiness', connectTimeoutMs: 300, log: () => undefined });
    const kafka = new KafkaBus({ brokers: [`127.0.0.1:${kafkaPort}`], service: 'readiness' });
    closing.push(rabbit, kafka);
    void rabbit.start().catch(() => undefined);
    const started = Date.now();
    const error = (await new MessagingReadiness(rabbit, kafka).check().catch((e: unknown) => e)) as Error;
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(error.message).toMatch(new RegExp(`RabbitMQ: .*127\\.0\\.0\\.1:${amqpPort}`));
    expect(error.message).toMatch(new RegExp(`Kafka at 127\\.0\\.0\\.1:${kafkaPort}`));
    expect(error.message).not.toContain('s3cret');
  });
});
