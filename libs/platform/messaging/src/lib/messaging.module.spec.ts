import { Inject, Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { InMemoryBus } from './in-memory/in-memory.bus';
import { MessagingModule } from './messaging.module';
import { FanOutPublisher } from './fan-out.publisher';
import { messagingConfigSchema, messagingOptions } from './messaging.config';
import { MESSAGING_OPTIONS, OUTBOX_PUBLISHER, PUBLISHER, STREAM_SUBSCRIBER, SUBSCRIBER } from './messaging.tokens';
import type { Envelope } from './envelope/envelope';
import type { Publisher } from './publisher';
import { tick, tickContract } from './testing/conformance.fixtures';
import type { Subscriber } from './subscriber';
import type { TracedBackend } from './traced.backend';

@Injectable()
class OrderService {
  constructor(
    @Inject(PUBLISHER) readonly publisher: Publisher,
    @Inject(SUBSCRIBER) readonly subscriber: Subscriber,
  ) {}
}

@Module({ providers: [OrderService] })
class FeatureModule {}

describe(MessagingModule.name, () => {
  it('injects the shared in-memory bus as publisher, subscriber and stream by default', async () => {
    const app = await NestFactory.createApplicationContext(
      { module: class AppModule {}, imports: [MessagingModule.forRoot({ service: 'orders' }), FeatureModule] },
      { logger: false },
    );
    const sut = app.get(OrderService);
    // Wrapped with spans and metrics, over the one shared bus.
    expect((sut.publisher as TracedBackend).unwrap()).toBe(InMemoryBus.shared());
    expect((sut.subscriber as TracedBackend).unwrap()).toBe(InMemoryBus.shared());
    expect(app.get<TracedBackend>(STREAM_SUBSCRIBER).unwrap()).toBe(InMemoryBus.shared());
    expect(app.get(MESSAGING_OPTIONS)).toEqual({ service: 'orders' });
    await app.close();
  });

  it('publishes outbox events once when the stream is the bus', async () => {
    const app = await NestFactory.createApplicationContext(
      { module: class AppModule {}, imports: [MessagingModule.forRoot(messagingOptions('orders', messagingConfigSchema.parse({})))] },
      { logger: false },
    );
    const bus = InMemoryBus.shared();
    const publish = vi.spyOn(bus, 'publish');
    const outbox = app.get<Publisher>(OUTBOX_PUBLISHER);
    expect(outbox).toBeInstanceOf(FanOutPublisher);
    await outbox.publish([]);
    expect(publish).toHaveBeenCalledTimes(1);
    publish.mockRestore();
    await app.close();
  });

  it('signs what the outbox relay publishes when given a signer', async () => {
    const signer = { sign: vi.fn(async (envelopes: readonly Envelope[]) => envelopes.map((e) => ({ ...e, identity: { token: 'signed-by-orders' } }))) };
    const app = await NestFactory.createApplicationContext(
      { module: class AppModule {}, imports: [MessagingModule.forRoot({ service: 'orders', signer })] },
      { logger: false },
    );
    const publish = vi.spyOn(InMemoryBus.shared(), 'publish').mockResolvedValue();
    const event = tick(tickContract(), 1);

    await app.get<Publisher>(OUTBOX_PUBLISHER).publish([event]);

    expect(signer.sign).toHaveBeenCalledWith([event]);
    expect(publish).toHaveBeenCalledWith([{ ...event, identity: { token: 'signed-by-orders' } }]);
    publish.mockRestore();
    await app.close();
  });
});

describe('messagingConfigSchema', () => {
  it('builds RabbitMQ and Kafka options from config', () => {
    const config = messagingConfigSchema.parse({ BUS: 'rabbitmq', RABBITMQ_URL: 'amqp://u:p@mq:5672', STREAM: 'kafka', KAFKA_BROKERS: 'k0:9092, k1:9092', KAFKA_CLIENT: 'platformatic' });
    expect(messagingOptions('orders', config)).toEqual({
      service: 'orders',
      bus: { backend: 'rabbitmq', url: 'amqp://u:p@mq:5672', prefetch: 16 },
      stream: { backend: 'kafka', brokers: ['k0:9092', 'k1:9092'], client: 'platformatic', partitions: 3 },
      retentionMs: 7 * 24 * 3_600_000,
    });
    expect(messagingOptions('orders', messagingConfigSchema.parse({ MESSAGING_RETENTION_HOURS: '36' })).retentionMs).toBe(36 * 3_600_000);
  });

  it.each([
    ['BUS', { BUS: 'kafak' }, 'memory'],
    ['RABBITMQ_URL', { RABBITMQ_URL: 'http://mq' }, 'amqp://'],
    ['KAFKA_BROKERS', { KAFKA_BROKERS: 'k0' }, 'host:port'],
    ['KAFKA_CLIENT', { KAFKA_CLIENT: 'confluent' }, 'kafkajs'],
    ['MESSAGING_RETENTION_HOURS', { MESSAGING_RETENTION_HOURS: '0' }, '>=1'],
  ])('refuses a bad %s and says what is expected', (key, value, expected) => {
    const result = messagingConfigSchema.safeParse(value);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual([key]);
    expect(JSON.stringify(result.error?.issues)).toContain(expected);
  });
});
