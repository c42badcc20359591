import { KafkaBus, type KafkaClientName, type Publisher, RabbitMqBus, type Subscriber } from '@nestkit/messaging';

/** The bus a ledger process uses, from its environment: LEDGER_KIND, LEDGER_ADDRESS and LEDGER_NAMESPACE (exchange or topic prefix). */
export function busFor(env: NodeJS.ProcessEnv): Publisher & Subscriber & { close(): Promise<void> } {
  const address = env['LEDGER_ADDRESS'] as string;
  const namespace = env['LEDGER_NAMESPACE'] as string;
  if (env['LEDGER_KIND'] === 'kafka') {
    return new KafkaBus({
      brokers: [address],
      service: 'ledger',
      client: (env['KAFKA_CLIENT'] ?? 'platformatic') as KafkaClientName,
      topicPrefix: `${namespace}.`,
      // A killed member holds its partitions until its session expires: keep that at the broker's minimum.
      timeouts: { sessionMs: 6_000, heartbeatMs: 500, rebalanceMs: 10_000, fetchMaxWaitMs: 100 },
      onError: () => undefined,
    });
  }
  return new RabbitMqBus({ url: address, service: 'ledger', exchange: namespace, log: () => undefined });
}
