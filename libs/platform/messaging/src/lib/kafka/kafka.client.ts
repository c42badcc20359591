import type { KafkaTimeouts } from './kafka-bus.options';

/**
 * The small port the Kafka backend needs from a Kafka client library. Two adapters implement it
 * (`kafkajs/`, `platformatic/`); only they import a driver, so the bus, the dead-letter admin and their
 * tests do not change when `client` does. Offsets are decimal strings (they are 64-bit).
 */
export interface KafkaClient {
  /** Produces the records idempotently with acks=all; resolves once the broker acknowledged every one. */
  produce(records: readonly KafkaOutboundRecord[]): Promise<void>;
  /** Creates the topics that do not exist yet; existing ones are left as they are. */
  createTopics(topics: readonly KafkaTopicSpec[]): Promise<void>;
  listTopics(): Promise<readonly string[]>;
  deleteTopics(names: readonly string[]): Promise<void>;
  /** Low (first retained) and high (next to be written) offset of every partition of `topic`. */
  topicOffsets(topic: string): Promise<readonly KafkaPartitionOffsets[]>;
  /** The committed offsets of `groupId` on `topic`; partitions it never committed are left out. */
  committedOffsets(groupId: string, topic: string): Promise<readonly KafkaPartitionOffset[]>;
  /** Sets the committed offsets of a group that has no live member (e.g. the dead-letter replayer). */
  setCommittedOffsets(groupId: string, topic: string, offsets: readonly KafkaPartitionOffset[]): Promise<void>;
  /** Reads the records in `[from, to)` of each given partition, without committing anything. */
  readRange(topic: string, ranges: readonly KafkaPartitionRange[]): Promise<readonly KafkaInboundRecord[]>;
  /** Joins consumer group `groupId` on `topics`; resolves once the consumer joined and is fetching. */
  consume(options: KafkaConsumeOptions): Promise<KafkaConsumer>;
  /** Disconnects the producer, the admin connection and every consumer still open. */
  close(): Promise<void>;
}

/** A record to produce. The key picks the partition (murmur2, as the Java client does). */
export interface KafkaOutboundRecord {
  readonly topic: string;
  readonly key: string;
  readonly value: string;
  readonly headers: Readonly<Record<string, string>>;
}

/** A record read from a topic. */
export interface KafkaInboundRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly key: string | null;
  readonly value: string | null;
  readonly headers: Readonly<Record<string, string>>;
}

/** A topic to create. */
export interface KafkaTopicSpec {
  readonly name: string;
  readonly partitions: number;
  readonly replicationFactor: number;
}

/** The retained offset range of one partition: `low` is the first record kept, `high` the next to be written. */
export interface KafkaPartitionOffsets {
  readonly partition: number;
  readonly low: string;
  readonly high: string;
}

/** An offset of one partition: a committed position (the next record to read). */
export interface KafkaPartitionOffset {
  readonly partition: number;
  readonly offset: string;
}

/** Offsets `[from, to)` of one partition. */
export interface KafkaPartitionRange {
  readonly partition: number;
  readonly from: string;
  readonly to: string;
}

/** Nothing when the record is done; `retryAt` (epoch ms) to get the same record again no earlier than that. */
export type KafkaRecordOutcome = { readonly retryAt: number } | undefined;

/** How to consume: the group, its topics and the callback that handles each record. */
export interface KafkaConsumeOptions {
  readonly groupId: string;
  readonly topics: readonly string[];
  /**
   * Handles one record. Records of one partition are handed over one at a time, in offset order; partitions
   * proceed independently. `commit` commits the record's offset + 1; nothing is committed otherwise. When the
   * outcome has `retryAt`, this partition is held (others keep going) and the same record comes back then.
   * Must not reject.
   */
  readonly onRecord: (record: KafkaInboundRecord, commit: () => Promise<void>) => Promise<KafkaRecordOutcome>;
  /** Failures the consumer recovers from by itself (fetch errors, rebalances, driver crashes). */
  readonly onError: (error: unknown) => void;
}

/** A running group member. */
export interface KafkaConsumer {
  /** Stops fetching, awaits the records being handled (and their commits), then leaves the group. */
  close(): Promise<void>;
}

/** {@link KafkaClient} adapter settings: what every adapter needs from the backend options. */
export interface KafkaClientSettings {
  readonly brokers: readonly string[];
  readonly clientId: string;
  readonly partitions: number;
  readonly timeouts: KafkaTimeouts;
  /** Driver-level problems, for logging. */
  readonly onDriverError: (error: unknown) => void;
}
