import type { Envelope } from '../envelope/envelope';
import type { DeadLetter } from '../subscriber';

/** The Kafka client libraries the Kafka backend can run on; pick one with the `client` option. */
export const KAFKA_CLIENTS = ['kafkajs', 'platformatic'] as const;

/** A supported Kafka client library: `kafkajs` or `platformatic` (`@platformatic/kafka`). */
export type KafkaClientName = (typeof KAFKA_CLIENTS)[number];

/** Time budgets of the Kafka backend, in milliseconds. Every broker call is bounded by one of them. */
export interface KafkaTimeouts {
  /** Opening a TCP connection to a broker. Default 5000. */
  connectMs: number;
  /** One request: a produce acknowledged by all in-sync replicas, an admin call, an offset commit. Default 10000. */
  requestMs: number;
  /** Longest a fetch waits on the broker for new records; also how late a paused retry may resume. Default 500. */
  fetchMaxWaitMs: number;
  /** Consumer session: a member that sends no heartbeat for this long is evicted. Default 30000 (brokers allow >= 6000). */
  sessionMs: number;
  /** Heartbeat interval of a consumer; bounds how fast members notice a rebalance. Default 3000. */
  heartbeatMs: number;
  /** How long a rebalance waits for members to rejoin; joining a group is bounded by this plus `requestMs`. Default 60000. */
  rebalanceMs: number;
  /** Pause before a record whose retry/dead-letter produce or offset commit failed is processed again. Default 1000. */
  redeliveryBackoffMs: number;
}

/** Where a transport failure reported to `onError` happened. */
export interface KafkaErrorContext {
  /** What was being done, e.g. `deliver`, `consume`, `driver`. */
  readonly operation: string;
  readonly group?: string;
  readonly topic?: string;
}

/** How to reach Kafka and lay out topics; shared by {@link KafkaBusOptions} and the dead-letter admin. */
export interface KafkaConnectionOptions {
  /** Bootstrap brokers as `host:port`, e.g. `['127.0.0.1:19092']`. */
  readonly brokers: readonly string[];
  /** This service's name, used as the Kafka client id. */
  readonly service: string;
  /** Client library; switching it needs no code change and keeps topics, groups and offsets. Default `platformatic`. */
  readonly client?: KafkaClientName;
  /** Prepended to every topic and consumer-group name (environment or tenant isolation). Default empty. */
  readonly topicPrefix?: string;
  /** Partitions of the topics the backend creates. Default 3. */
  readonly partitions?: number;
  /** Replication factor of the topics the backend creates. Default 1 (use 3 on a production cluster). */
  readonly replicationFactor?: number;
  readonly timeouts?: Partial<KafkaTimeouts>;
  /** Transport failures the backend recovers from by itself (failed commit, consumer crash, driver errors), for logging. Default: a process warning. */
  readonly onError?: (error: unknown, context: KafkaErrorContext) => void;
}

/** Options of `KafkaBus`: connection and layout, plus the same failure hooks as the in-memory bus. */
export interface KafkaBusOptions extends KafkaConnectionOptions {
  /** Called with every rejected handler (before its retry or dead-lettering). */
  readonly onHandlerError?: (error: unknown, envelope: Envelope, group: string) => void;
  /** Called with every message moved to a dead-letter topic, once the broker acknowledged it. */
  readonly onDeadLetter?: (deadLetter: DeadLetter) => void;
}

/** {@link KafkaConnectionOptions} with every default filled in and checked. */
export interface KafkaSettings {
  readonly brokers: readonly string[];
  readonly clientId: string;
  readonly client: KafkaClientName;
  readonly topicPrefix: string;
  readonly partitions: number;
  readonly replicationFactor: number;
  readonly timeouts: KafkaTimeouts;
  readonly onError: (error: unknown, context: KafkaErrorContext) => void;
}

/** The defaults of {@link KafkaTimeouts}. */
export const DEFAULT_KAFKA_TIMEOUTS: Readonly<KafkaTimeouts> = {
  connectMs: 5_000,
  requestMs: 10_000,
  fetchMaxWaitMs: 500,
  sessionMs: 30_000,
  heartbeatMs: 3_000,
  rebalanceMs: 60_000,
  redeliveryBackoffMs: 1_000,
};

const BROKER = /^[^\s:]+:\d{1,5}$/;
const NAME_CHARS = /^[a-zA-Z0-9._-]*$/;

/** Fills in the defaults and rejects a bad option with a `RangeError` naming it, the bad value and what is allowed. */
export function resolveKafkaSettings(options: KafkaConnectionOptions, owner = 'KafkaBus'): KafkaSettings {
  const fail = (key: string, rule: string, value: unknown): never => {
    throw new RangeError(`${owner}: options.${key} ${rule}, got ${JSON.stringify(value)}`);
  };
  if (!Array.isArray(options.brokers) || options.brokers.length === 0) fail('brokers', 'must list at least one host:port', options.brokers);
  for (const broker of options.brokers) if (!BROKER.test(broker)) fail('brokers', 'must be host:port entries', broker);
  if (typeof options.service !== 'string' || options.service.trim() === '') fail('service', 'must be a non-empty name', options.service);
  const client = options.client ?? 'platformatic';
  if (!KAFKA_CLIENTS.includes(client)) fail('client', `must be one of ${KAFKA_CLIENTS.join(', ')}`, client);
  const topicPrefix = options.topicPrefix ?? '';
  if (!NAME_CHARS.test(topicPrefix)) fail('topicPrefix', 'may only contain letters, digits, ".", "_" and "-"', topicPrefix);
  const partitions = options.partitions ?? 3;
  if (!Number.isInteger(partitions) || partitions < 1) fail('partitions', 'must be an integer >= 1', partitions);
  const replicationFactor = options.replicationFactor ?? 1;
  if (!Number.isInteger(replicationFactor) || replicationFactor < 1) fail('replicationFactor', 'must be an integer >= 1', replicationFactor);
  const timeouts = { ...DEFAULT_KAFKA_TIMEOUTS, ...options.timeouts };
  for (const [key, value] of Object.entries(timeouts)) {
    if (!Number.isFinite(value) || value <= 0) fail(`timeouts.${key}`, 'must be a positive number of milliseconds', value);
  }
  return {
    brokers: [...options.brokers],
    clientId: options.service,
    client,
    topicPrefix,
    partitions,
    replicationFactor,
    timeouts,
    onError: options.onError ?? warn,
  };
}

function warn(error: unknown, context: KafkaErrorContext): void {
  const where = [context.operation, context.group, context.topic].filter(Boolean).join(' ');
  process.emitWarning(`Kafka ${where}: ${error instanceof Error ? error.message : String(error)}`, 'NestkitKafka');
}
