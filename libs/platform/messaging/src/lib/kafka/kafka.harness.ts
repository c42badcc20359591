import { randomUUID } from 'node:crypto';
import { waitFor } from '@nestkit/testing';
import type { MessageContract } from '../envelope/message-contract';
import type { SubscribeOptions, Subscriber } from '../subscriber';
import type { MessagingHarness } from '../testing/messaging.harness';
import { type KafkaBusOptions, type KafkaClientName, type KafkaConnectionOptions, type KafkaTimeouts, resolveKafkaSettings } from './kafka-bus.options';
import type { KafkaClient } from './kafka.client';
import { createKafkaClient } from './kafka-client.factory';
import { KafkaBus } from './kafka.bus';
import { KafkaDeadLetterAdmin } from './kafka-dead-letter.admin';
import { KafkaTopology } from './kafka.topology';

/**
 * Timeouts for tests against the single local broker of scripts/infra (`group.initial.rebalance.delay.ms=0`):
 * members notice rebalances within half a second and resumed retries are fetched within 100 ms.
 */
export const TEST_KAFKA_TIMEOUTS: Partial<KafkaTimeouts> = {
  sessionMs: 10_000,
  heartbeatMs: 500,
  rebalanceMs: 10_000,
  fetchMaxWaitMs: 100,
  redeliveryBackoffMs: 200,
};

/** Options of {@link kafkaHarness}. */
export interface KafkaHarnessOptions {
  readonly brokers: readonly string[];
  readonly client: KafkaClientName;
  /** Defaults to a fresh prefix, so a test sees no other test's topics or groups. Reuse one to restart a "process". */
  readonly topicPrefix?: string;
  /** More bus options (hooks, partitions); connection options come from the harness. */
  readonly bus?: Omit<KafkaBusOptions, keyof KafkaConnectionOptions>;
  /** Leave the topics in place on `close` (a later harness with the same prefix restarts the "process"). */
  readonly keepTopics?: boolean;
  /** Wraps the bus's client, e.g. to simulate a process that dies before committing. */
  readonly wrapClient?: (client: KafkaClient) => KafkaClient;
}

/** A {@link MessagingHarness} over a real Kafka, plus handles on the bus, its dead-letter admin and its errors. */
export interface KafkaHarness extends MessagingHarness {
  readonly bus: KafkaBus;
  readonly admin: KafkaDeadLetterAdmin;
  readonly topicPrefix: string;
  /** Transport failures the bus and the admin reported through `onError`. */
  readonly errors: unknown[];
  /** Deletes the topics under the prefix (what `close` does unless `keepTopics`). */
  deleteTopics(): Promise<void>;
}

/**
 * A Kafka backend for the conformance suites and the Kafka integration specs. `idle()` polls the broker until
 * every subscription's consumer group has committed everything on its type topic and retry topic (a record
 * is committed only after it was handled, retried or dead-lettered); `deadLetters()` lists the dead-letter
 * topics of the groups subscribed through this harness.
 */
export function kafkaHarness(options: KafkaHarnessOptions): KafkaHarness {
  const topicPrefix = options.topicPrefix ?? `nk-${randomUUID().slice(0, 8)}.`;
  const errors: unknown[] = [];
  const connection: KafkaConnectionOptions = {
    brokers: options.brokers,
    service: 'nestkit-test',
    client: options.client,
    topicPrefix,
    timeouts: TEST_KAFKA_TIMEOUTS,
    onError: (error) => errors.push(error),
  };
  const settings = resolveKafkaSettings(connection);
  const probe = createKafkaClient(settings);
  const bus = new KafkaBus({ ...connection, ...options.bus }, options.wrapClient?.(createKafkaClient(settings)));
  const admin = new KafkaDeadLetterAdmin(connection);
  const topology = new KafkaTopology(topicPrefix);
  const subscribed = new Map<string, { group: string; type: string }>();

  const subscriber: Subscriber = {
    subscribe<T>(contract: MessageContract<T>, subscribeOptions: SubscribeOptions<T>) {
      subscribed.set(`${subscribeOptions.group}|${contract.type}`, { group: subscribeOptions.group, type: contract.type });
      return bus.subscribe(contract, subscribeOptions);
    },
    start: () => bus.start(),
    close: () => bus.close(),
  };

  // Committed offsets first, end offsets after, never in parallel: a handler writes the records a record leads
  // to (a retry record on this topic, or on the retry topic checked next) before it commits that record, so
  // an end offset read after the commit always includes them. Read the other way round, an end offset from
  // just before a retry record was written and a commit from just after would look caught up (false idle).
  const caughtUp = async (groupId: string, topic: string): Promise<boolean> => {
    const committed = await probe.committedOffsets(groupId, topic);
    const offsets = await probe.topicOffsets(topic);
    return offsets.every(({ partition, low, high }) => BigInt(committed.find((c) => c.partition === partition)?.offset ?? low) >= BigInt(high));
  };
  const idle = async (): Promise<boolean> => {
    for (const { group, type } of subscribed.values()) {
      const groupId = topology.groupId(group, type);
      for (const topic of [topology.topic(type), topology.retryTopic(group, type)]) if (!(await caughtUp(groupId, topic))) return false;
    }
    return true;
  };

  // A client of its own, so topics can still be deleted after close().
  const deleteTopics = async (): Promise<void> => {
    const cleaner = createKafkaClient(settings);
    try {
      await cleaner.deleteTopics((await cleaner.listTopics()).filter((topic) => topic.startsWith(topicPrefix)));
    } finally {
      await cleaner.close();
    }
  };

  return {
    bus,
    admin,
    topicPrefix,
    errors,
    publisher: bus,
    subscriber,
    idle: async () => {
      await waitFor(idle, { what: `every Kafka subscription under ${topicPrefix} to commit all its records`, timeoutMs: 30_000, intervalMs: 50 });
    },
    deadLetters: async () => {
      const groups = [...new Set([...subscribed.values()].map((s) => s.group))];
      return (await Promise.all(groups.map((group) => admin.list(group, 1_000)))).flat();
    },
    close: async () => {
      await Promise.allSettled([bus.close(), admin.close(), probe.close()]);
      if (!options.keepTopics) await deleteTopics().catch((error: unknown) => errors.push(error));
    },
    deleteTopics,
  };
}
