// A ledger consumer in a process of its own, for tests that kill it with SIGKILL mid-batch:
// `node dist/scripts/ledger/ledger-consumer.js` with LEDGER_* in the environment (see busFor).
import { KafkaBus, type KafkaClientName, type Publisher, RabbitMqBus, type Subscriber } from '@nestkit/messaging';
import { LEDGER_RETRIES, LedgerEntryRecorded, ledgerDatabase, ledgerHandler } from './ledger';

/** The bus a ledger process uses, from its environment: LEDGER_KIND, LEDGER_ADDRESS and LEDGER_NAMESPACE (exchange or topic prefix). */
export function busFor(env: NodeJS.ProcessEnv): Publisher & Subscriber & { close(): Promise<void> } {
  const address = env['LEDGER_ADDRESS'] as string;
  const namespace = env['LEDGER_NAMESPACE'] as string;
  if (env['LEDGER_KIND'] === 'kafka') {
    return new KafkaBus({ brokers: [address], service: 'ledger', client: (env['KAFKA_CLIENT'] ?? 'kafkajs') as KafkaClientName, topicPrefix: `${namespace}.`, onError: () => undefined });
  }
  return new RabbitMqBus({ url: address, service: 'ledger', exchange: namespace, log: () => undefined });
}

async function main(): Promise<void> {
  const group = process.env['LEDGER_GROUP'] as string;
  const delayMs = Number(process.env['LEDGER_DELAY_MS'] ?? 0);
  const db = await ledgerDatabase(process.env['LEDGER_DB'] as string, true);
  const bus = busFor(process.env);
  const apply = ledgerHandler(db, group, { deliveries: 0, applied: 0 });
  bus.subscribe(LedgerEntryRecorded, {
    group,
    ...LEDGER_RETRIES,
    handler: async (payload, envelope) => {
      // Keeps several messages in flight (prefetch), so a kill lands mid-batch.
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      await apply(payload, envelope);
    },
  });
  await bus.start();
  process.stdout.write('ledger-consumer: ready\n');
  process.once('SIGTERM', () => void bus.close().then(() => db.destroy()).then(() => process.exit(0)));
}

main().catch((error: unknown) => {
  process.stderr.write(`ledger-consumer: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
