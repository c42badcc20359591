import { Admin, compatibilityPartitioner, ListOffsetTimestamps, ProduceAcks, Producer, stringSerializers } from '@platformatic/kafka';
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
import { baseOptions } from './platformatic.mapping';
import { openPlatformaticConsumer } from './platformatic.consumer';
import { readRangeWithPlatformatic } from './platformatic.range-reader';
import { OpenConsumers } from '../open-consumers';

const TOPIC_ALREADY_EXISTS = 36;

/**
 * {@link KafkaClient} on `@platformatic/kafka`: an idempotent producer (acks=all) partitioning keys with the
 * Java client's murmur2 (as kafkajs does, so switching clients keeps every key on its partition), an admin
 * client, and one consumer per consumer group. Connections are opened on first use.
 */
export class PlatformaticClient implements KafkaClient {
  private readonly producer: Producer<string, string, string, string>;
  private readonly admin: Admin;
  private readonly consumers = new OpenConsumers();

  constructor(private readonly settings: KafkaClientSettings) {
    this.producer = new Producer({
      ...baseOptions(settings),
      idempotent: true,
      acks: ProduceAcks.ALL,
      partitioner: compatibilityPartitioner,
      serializers: stringSerializers,
      autocreateTopics: false,
    });
    this.admin = new Admin(baseOptions(settings));
  }

  async produce(records: readonly KafkaOutboundRecord[]): Promise<void> {
    await this.producer.send({
      messages: records.map(({ topic, key, value, headers }) => ({ topic, key, value, headers: new Map(Object.entries(headers)) })),
    });
  }

  async createTopics(topics: readonly KafkaTopicSpec[]): Promise<void> {
    for (const spec of topics) {
      try {
        await this.admin.createTopics({ topics: [spec.name], partitions: spec.partitions, replicas: spec.replicationFactor });
      } catch (error) {
        if (!onlyAlreadyExists(error)) throw error;
      }
    }
  }

  listTopics(): Promise<readonly string[]> {
    return this.admin.listTopics();
  }

  async deleteTopics(names: readonly string[]): Promise<void> {
    if (names.length > 0) await this.admin.deleteTopics({ topics: [...names] });
  }

  async topicOffsets(topic: string): Promise<readonly KafkaPartitionOffsets[]> {
    const partitions = await this.partitionsOf(topic);
    const at = (timestamp: bigint) =>
      this.admin.listOffsets({ topics: [{ name: topic, partitions: partitions.map((partitionIndex) => ({ partitionIndex, timestamp })) }] });
    const [earliest, latest] = await Promise.all([at(ListOffsetTimestamps.EARLIEST), at(ListOffsetTimestamps.LATEST)]);
    const offset = (listed: typeof earliest, partition: number) =>
      String(listed[0]?.partitions.find((p) => p.partitionIndex === partition)?.offset ?? 0n);
    return partitions.map((partition) => ({ partition, low: offset(earliest, partition), high: offset(latest, partition) }));
  }

  async committedOffsets(groupId: string, topic: string): Promise<readonly KafkaPartitionOffset[]> {
    const partitionIndexes = await this.partitionsOf(topic);
    const [group] = await this.admin.listConsumerGroupOffsets({ groups: [{ groupId, topics: [{ name: topic, partitionIndexes }] }] });
    const committed = group?.topics.find((t) => t.name === topic)?.partitions ?? [];
    return committed
      .filter((p) => p.committedOffset >= 0n)
      .map((p) => ({ partition: p.partitionIndex, offset: String(p.committedOffset) }))
      .sort((a, b) => a.partition - b.partition);
  }

  async setCommittedOffsets(groupId: string, topic: string, offsets: readonly KafkaPartitionOffset[]): Promise<void> {
    const partitionOffsets = offsets.map(({ partition, offset }) => ({ partition, offset: BigInt(offset) }));
    await this.admin.alterConsumerGroupOffsets({ groupId, topics: [{ name: topic, partitionOffsets }] });
  }

  readRange(topic: string, ranges: readonly KafkaPartitionRange[]): Promise<readonly KafkaInboundRecord[]> {
    return readRangeWithPlatformatic(this.settings, this.admin, topic, ranges);
  }

  async consume(options: KafkaConsumeOptions): Promise<KafkaConsumer> {
    return this.consumers.add(await openPlatformaticConsumer(this.settings, options));
  }

  async close(): Promise<void> {
    await this.consumers.closeAll();
    await Promise.allSettled([this.producer.close(), this.admin.close()]);
  }

  private async partitionsOf(topic: string): Promise<number[]> {
    const metadata = await this.admin.metadata({ topics: [topic] });
    const count = metadata.topics.get(topic)?.partitionsCount ?? 0;
    return Array.from({ length: count }, (_, partition) => partition);
  }
}

/** True when a CreateTopics failure only says that topics exist already. */
function onlyAlreadyExists(error: unknown): boolean {
  const failures = (error as { errors?: unknown[] }).errors ?? [error];
  const codes = failures.flatMap((failure) => (failure as { response?: { topics?: { errorCode: number }[] } }).response?.topics ?? []);
  return codes.length > 0 && codes.every((topic) => topic.errorCode === 0 || topic.errorCode === TOPIC_ALREADY_EXISTS);
}
