import { z } from 'zod';
import { KAFKA_CLIENTS } from './kafka/kafka-bus.options';
import type { MessagingModuleOptions } from './messaging.tokens';

const brokerList = z
  .string()
  .transform((value) => value.split(',').map((broker) => broker.trim()).filter(Boolean))
  .refine((brokers) => brokers.length > 0 && brokers.every((broker) => /^[\w.-]+:\d{1,5}$/.test(broker)), {
    message: 'expected host:port, comma-separated, e.g. kafka-0:9092,kafka-1:9092',
  });

/** The config keys of messaging, shared by every service that sends or receives messages: spread its `shape`. */
export const messagingConfigSchema = z.object({
  /**
   * Prefix of every exchange, queue, topic and consumer group this service declares (`<namespace>.`), so
   * environments or test runs can share one RabbitMQ vhost or Kafka cluster. Default none.
   */
  MESSAGING_NAMESPACE: z
    .string()
    .regex(/^([a-z0-9][a-z0-9-]{0,62})?$/, 'expected lower-case letters, digits and dashes, e.g. staging or pr-123')
    .default(''),
  /** Service-to-service messages (commands, saga events): `memory` (embedded) or `rabbitmq`. */
  BUS: z.enum(['memory', 'rabbitmq']).default('memory'),
  /** With BUS=rabbitmq: the broker, e.g. `amqp://user:pass@rabbitmq:5672/vhost?heartbeat=10`. */
  RABBITMQ_URL: z
    .string()
    .regex(/^amqps?:\/\/\S+$/, 'expected an amqp:// or amqps:// URL, e.g. amqp://user:pass@rabbitmq:5672')
    .default('amqp://guest:guest@127.0.0.1:5672'),
  /** With BUS=rabbitmq: unacknowledged messages (= handlers running at once) per consumer group. */
  RABBITMQ_PREFETCH: z.coerce.number().int().min(1).max(1_000).default(16),
  /** The domain event stream every event is also written to: `kafka`, or `memory` for none (stream consumers read the bus). */
  STREAM: z.enum(['memory', 'kafka']).default('memory'),
  /** With STREAM=kafka: bootstrap brokers. */
  KAFKA_BROKERS: brokerList.default(['127.0.0.1:9092']),
  /** With STREAM=kafka: `platformatic` (@platformatic/kafka, maintained; default) or `kafkajs`; both pass the same conformance suite and switching keeps topics, groups and offsets. */
  KAFKA_CLIENT: z.enum(KAFKA_CLIENTS).default('platformatic'),
  /** With STREAM=kafka: partitions of the topics the service creates (per-key order holds within one). */
  KAFKA_PARTITIONS: z.coerce.number().int().min(1).max(1_000).default(3),
  /**
   * How long published outbox rows and handled inbox ids are kept (and any table the service adds with
   * RETENTION_TASKS). The inbox must remember an id for longer than any copy of its message can still
   * arrive: keep it well above the broker's retention and the time you may take to replay dead letters.
   */
  MESSAGING_RETENTION_HOURS: z.coerce.number().int().min(1).max(24 * 366).default(24 * 7),
});

export type MessagingConfig = z.infer<typeof messagingConfigSchema>;

/** `MessagingModule.forRoot` options for `service` from its config. */
export function messagingOptions(service: string, config: MessagingConfig): MessagingModuleOptions {
  return {
    service,
    ...(config.MESSAGING_NAMESPACE ? { namespace: config.MESSAGING_NAMESPACE } : {}),
    bus: config.BUS === 'rabbitmq' ? { backend: 'rabbitmq', url: config.RABBITMQ_URL, prefetch: config.RABBITMQ_PREFETCH } : { backend: 'memory' },
    stream:
      config.STREAM === 'kafka'
        ? { backend: 'kafka', brokers: config.KAFKA_BROKERS, client: config.KAFKA_CLIENT, partitions: config.KAFKA_PARTITIONS }
        : { backend: 'memory' },
    retentionMs: config.MESSAGING_RETENTION_HOURS * 3_600_000,
  };
}
