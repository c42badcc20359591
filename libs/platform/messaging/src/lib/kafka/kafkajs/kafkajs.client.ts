import { type Admin, Kafka, type LogEntry, logLevel, Partitioners, type Producer } from 'kafkajs';
import type {
  KafkaClient,
  KafkaClientSettings,
  KafkaConsumeOptions,
  KafkaConsumer,
  KafkaInboundRecord,
  KafkaOutboundRecord,
  KafkaPartitionOffset,
  KafkaPartitionOffsets,
  KafkaPartitionRange,
  KafkaTopicSpec,
} from '../kafka.client';
import { openKafkajsConsumer } from './kafkajs.consumer';
import { commitAsMember, readRangeWithKafkajs } from './kafkajs.group-tools';
import { OpenConsumers } from '../open-consumers';

const CREATE_ATTEMPTS = 5;

/**
 * {@link KafkaClient} on kafkajs: an idempotent producer (acks=all, one request in flight per broker so a
 * retried batch cannot overtake the next one), an admin connection, and one kafkajs consumer per consumer
 * group. kafkajs logs at level ERROR and above go to `onDriverError`.
 */
export class KafkajsClient implements KafkaClient {
  private readonly kafka: Kafka;
  private producer: Promise<Producer> | undefined;
  private admin: Promise<Admin> | undefined;
  private readonly consumers = new OpenConsumers();

  constructor(private readonly settings: KafkaClientSettings) {
    const { timeouts } = settings;
    this.kafka = new Kafka({
      clientId: settings.clientId,
      brokers: [...settings.brokers],
      connectionTimeout: timeouts.connectMs,
      requestTimeout: timeouts.requestMs,
      logLevel: logLevel.ERROR,
      logCreator: () => (entry: LogEntry) => settings.onDriverError(new Error(`kafkajs ${entry.namespace}: ${entry.log.message}`)),
    });
  }

  async produce(records: readonly KafkaOutboundRecord[]): Promise<void> {
    const byTopic = new Map<string, { key: string; value: string; headers: Record<string, string> }[]>();
    for (const { topic, key, value, headers } of records) {
      const messages = byTopic.get(topic) ?? [];
      messages.push({ key, value, headers: { ...headers } });
      byTopic.set(topic, messages);
    }
    const producer = await this.connectedProducer();
    await producer.sendBatch({
      acks: -1,
      timeout: this.settings.timeouts.requestMs,
      topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
    });
  }

  async createTopics(topics: readonly KafkaTopicSpec[]): Promise<void> {
    const admin = await this.connectedAdmin();
    for (let attempt = 1; ; attempt += 1) {
      try {
        // Resolves (false) when a topic already exists, so a retry after a half-done attempt is safe.
        await admin.createTopics({
          waitForLeaders: true,
          timeout: this.settings.timeouts.requestMs,
          topics: topics.map((t) => ({ topic: t.name, numPartitions: t.partitions, replicationFactor: t.replicationFactor })),
        });
        return;
      } catch (error) {
        // While a new topic's metadata propagates (KRaft), kafkajs's leader wait can fail with
        // UNKNOWN_TOPIC_OR_PARTITION, which it does not retry itself.
        if (!(error as { retriable?: boolean }).retriable || attempt >= CREATE_ATTEMPTS) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
      }
    }
  }

  async listTopics(): Promise<readonly string[]> {
    return (await this.connectedAdmin()).listTopics();
  }

  async deleteTopics(names: readonly string[]): Promise<void> {
    if (names.length > 0) await (await this.connectedAdmin()).deleteTopics({ topics: [...names], timeout: this.settings.timeouts.requestMs });
  }

  async topicOffsets(topic: string): Promise<readonly KafkaPartitionOffsets[]> {
    const offsets = await (await this.connectedAdmin()).fetchTopicOffsets(topic);
    return offsets.map(({ partition, low, high }) => ({ partition, low, high })).sort((a, b) => a.partition - b.partition);
  }

  async committedOffsets(groupId: string, topic: string): Promise<readonly KafkaPartitionOffset[]> {
    const [committed] = await (await this.connectedAdmin()).fetchOffsets({ groupId, topics: [topic] });
    return (committed?.partitions ?? []).filter((p) => BigInt(p.offset) >= 0n).map(({ partition, offset }) => ({ partition, offset }));
  }

  async setCommittedOffsets(groupId: string, topic: string, offsets: readonly KafkaPartitionOffset[]): Promise<void> {
    await commitAsMember(this.kafka, this.settings, groupId, topic, offsets);
  }

  async readRange(topic: string, ranges: readonly KafkaPartitionRange[]): Promise<readonly KafkaInboundRecord[]> {
    return readRangeWithKafkajs(this.kafka, await this.connectedAdmin(), this.settings, topic, ranges);
  }

  async consume(options: KafkaConsumeOptions): Promise<KafkaConsumer> {
    return this.consumers.add(await openKafkajsConsumer(this.kafka, this.settings, options));
  }

  async close(): Promise<void> {
    await this.consumers.closeAll();
    const [producer, admin] = await Promise.all([this.producer?.catch(() => undefined), this.admin?.catch(() => undefined)]);
    this.producer = undefined;
    this.admin = undefined;
    await Promise.allSettled([producer?.disconnect(), admin?.disconnect()]);
  }

  private connectedProducer(): Promise<Producer> {
    this.producer ??= connect(
      this.kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner }),
      () => (this.producer = undefined),
    );
    return this.producer;
  }

  private connectedAdmin(): Promise<Admin> {
    this.admin ??= connect(this.kafka.admin(), () => (this.admin = undefined));
    return this.admin;
  }
}

/** Connects a kafkajs client; forgets it when connecting failed, so the next call tries again. */
async function connect<T extends { connect(): Promise<void> }>(client: T, forget: () => void): Promise<T> {
  try {
    await client.connect();
    return client;
  } catch (error) {
    forget();
    throw error;
  }
}
