import { KafkaBus, type KafkaClientName, RabbitMqBus } from '@nestkit/messaging';
import { PrivateBroker, uniqueName } from '@nestkit/testing';
import { type LedgerReport, runLedger } from './ledger';

/** Options of {@link brokerLedger}. */
export interface BrokerLedgerOptions {
  readonly events: number;
  /** Kafka only: the client library. Default platformatic. */
  readonly kafkaClient?: KafkaClientName;
  /** Fractions of the events applied at which the broker is killed with SIGKILL and restarted. Default three strikes. */
  readonly strikes?: readonly number[];
  /** How long the broker stays down per strike. Default 2 s. */
  readonly downMs?: number;
  /** Events written per second (default 200): the run lasts events / rate seconds plus the outages. */
  readonly writesPerSecond?: number;
  readonly progress?: (line: string) => void;
}

/**
 * The ledger proof against a real broker of its own (scripts/infra on free ports): `events` events through
 * outbox -> broker -> inbox while the broker is killed with `kill -9` and restarted at each strike.
 */
export async function brokerLedger(kind: 'rabbitmq' | 'kafka', options: BrokerLedgerOptions): Promise<LedgerReport> {
  const say = options.progress ?? (() => undefined);
  say(`ledger: starting a private ${kind} ...`);
  const broker = await PrivateBroker.start(kind);
  const downMs = options.downMs ?? 2_000;
  try {
    const bus =
      kind === 'rabbitmq'
        ? () => new RabbitMqBus({ url: broker.address, service: 'ledger', publishTimeoutMs: 15_000, connectTimeoutMs: 30_000, reconnect: { initialMs: 100, maxMs: 1_000 }, log: () => undefined })
        : () => new KafkaBus({ brokers: [broker.address], service: 'ledger', client: options.kafkaClient ?? 'platformatic', partitions: 3, onError: () => undefined });
    return await runLedger({
      events: options.events,
      bus,
      group: uniqueName('ledger'),
      timeoutMs: 120_000 + options.events * 20,
      progress: say,
      writesPerSecond: options.writesPerSecond ?? 200,
      chaos: {
        at: options.strikes ?? [0.2, 0.45, 0.7],
        strike: async () => {
          await broker.kill9();
          say(`ledger: ${kind} killed with SIGKILL; restarting in ${downMs} ms`);
          await new Promise((resolve) => setTimeout(resolve, downMs));
          await broker.up();
          say(`ledger: ${kind} is back`);
        },
      },
    });
  } finally {
    await broker.stop();
  }
}
