import { infraUrls, uniqueName } from '@nestkit/testing';

/**
 * The two messaging profiles the platform e2e specs run under: everything embedded, and RabbitMQ for the
 * bus with Kafka for the event stream (its own exchange, queues and topics on the shared brokers).
 */
export function messagingProfiles(prefix: string): Array<[string, NodeJS.ProcessEnv]> {
  return [
    ['embedded defaults', {}],
    [
      'BUS=rabbitmq, STREAM=kafka',
      {
        BUS: 'rabbitmq',
        RABBITMQ_URL: infraUrls().rabbitmqUrl,
        STREAM: 'kafka',
        KAFKA_BROKERS: infraUrls().kafkaBrokers.join(','),
        MESSAGING_NAMESPACE: uniqueName(prefix).toLowerCase(),
      },
    ],
  ];
}
