import type { DeadLetterAdmin, DeadLetterQueueInfo } from '../dead-letters';
import type { DeadLetter } from '../subscriber';
import { type KafkaConnectionOptions, type KafkaSettings, resolveKafkaSettings } from './kafka-bus.options';
import type { KafkaClient, KafkaInboundRecord, KafkaOutboundRecord, KafkaPartitionOffset, KafkaPartitionRange } from './kafka.client';
import { createKafkaClient } from './kafka-client.factory';
import { copyRecord, decodeDeadLetter, replayRecord } from './kafka-record.codec';
import { KafkaTopicProvisioner } from './kafka-topic.provisioner';
import { KafkaTopology } from './kafka.topology';

interface PendingDeadLetter {
  readonly record: KafkaInboundRecord;
  readonly deadLetter: DeadLetter;
}

/**
 * {@link DeadLetterAdmin} over the Kafka backend's dead-letter topics (`<prefix><group>.dlt`). Nothing is
 * ever deleted from a topic: the consumer group `<prefix><group>.dlt.replayer` (which never has a live member)
 * commits past what was replayed, so a dead letter is pending while it sits at or after that offset.
 * - `queues()` lists the topics under the prefix ending in `.dlt`, counting pending records;
 * - `list()` reads pending records without committing (non-destructive);
 * - `replay()` produces the chosen ones to their subscription's retry topic with zero deliveries, due now,
 *   copies pending ones that were not chosen but sit before a chosen one to the end of the dead-letter topic
 *   (so they stay pending), and only then commits.
 * Use one replaying process at a time: two concurrent replays of one group may replay a message twice.
 */
export class KafkaDeadLetterAdmin implements DeadLetterAdmin {
  private readonly settings: KafkaSettings;
  private readonly client: KafkaClient;
  private readonly topology: KafkaTopology;
  private readonly topics: KafkaTopicProvisioner;

  /** `client` replaces the adapter `options.client` names (for tests). */
  constructor(options: KafkaConnectionOptions, client?: KafkaClient) {
    this.settings = resolveKafkaSettings(options, 'KafkaDeadLetterAdmin');
    this.client = client ?? createKafkaClient(this.settings);
    this.topology = new KafkaTopology(this.settings.topicPrefix);
    this.topics = new KafkaTopicProvisioner(this.client, this.settings);
  }

  async queues(): Promise<readonly DeadLetterQueueInfo[]> {
    const queues: DeadLetterQueueInfo[] = [];
    for (const location of [...(await this.client.listTopics())].sort()) {
      const group = this.topology.groupOfDeadLetterTopic(location);
      if (group === undefined) continue;
      const ranges = await this.pendingRanges(group, true);
      queues.push({ group, location, count: ranges.reduce((sum, r) => sum + Number(BigInt(r.to) - BigInt(r.from)), 0) });
    }
    return queues;
  }

  async list(group: string, limit = 100): Promise<readonly DeadLetter[]> {
    // A partition holds dead letters in the order they were written (one kept back by a replay is written
    // again, at the end), so the first `limit` records of each partition contain the oldest `limit` overall.
    return (await this.pending(group, BigInt(limit))).slice(0, limit).map((p) => p.deadLetter);
  }

  async replay(group: string, options: { ids?: readonly string[] } = {}): Promise<number> {
    const pending = await this.pending(group);
    const wanted = options.ids ? new Set(options.ids) : undefined;
    const chosen = pending.filter((p) => !wanted || wanted.has(p.deadLetter.envelope.id));
    if (chosen.length === 0) return 0;
    const commits = commitsAfter(chosen.map((p) => p.record));
    const deadLetterTopic = this.topology.deadLetterTopic(group);
    const kept = pending.filter((p) => !chosen.includes(p) && BigInt(p.record.offset) < BigInt(commits.get(p.record.partition) ?? -1));
    const now = Date.now();
    const replays = chosen.map((p) => replayRecord(p.record, this.topology.retryTopic(group, p.deadLetter.envelope.type), now));
    await this.topics.ensure(replays.map((r) => r.topic));
    const records: KafkaOutboundRecord[] = [...replays, ...kept.map((p) => copyRecord(p.record, deadLetterTopic))];
    await this.client.produce(records);
    const offsets: KafkaPartitionOffset[] = [...commits].map(([partition, offset]) => ({ partition, offset }));
    await this.client.setCommittedOffsets(this.topology.replayerGroupId(group), deadLetterTopic, offsets);
    return chosen.length;
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  /** Pending dead letters of `group` (at most `perPartition` of each partition), oldest first. */
  private async pending(group: string, perPartition?: bigint): Promise<PendingDeadLetter[]> {
    const ranges = (await this.pendingRanges(group)).map((r) =>
      perPartition !== undefined && BigInt(r.to) - BigInt(r.from) > perPartition ? { ...r, to: String(BigInt(r.from) + perPartition) } : r,
    );
    const records = await this.client.readRange(this.topology.deadLetterTopic(group), ranges);
    return records
      .map((record) => ({ record, deadLetter: decodeDeadLetter(record, group) }))
      .sort(
        (a, b) =>
          a.deadLetter.deadLetteredAt.localeCompare(b.deadLetter.deadLetteredAt) ||
          a.record.partition - b.record.partition ||
          compareOffsets(a.record.offset, b.record.offset),
      );
  }

  /** Per partition of the group's dead-letter topic: from the replayer's committed offset (or the first retained one) to the end. */
  private async pendingRanges(group: string, exists = false): Promise<KafkaPartitionRange[]> {
    const topic = this.topology.deadLetterTopic(group);
    if (!exists && !(await this.client.listTopics()).includes(topic)) return [];
    const [offsets, committed] = await Promise.all([
      this.client.topicOffsets(topic),
      this.client.committedOffsets(this.topology.replayerGroupId(group), topic),
    ]);
    return offsets.map(({ partition, low, high }) => {
      const replayed = committed.find((c) => c.partition === partition)?.offset;
      const from = replayed !== undefined && BigInt(replayed) > BigInt(low) ? replayed : low;
      return { partition, from, to: high };
    });
  }
}

/** Per partition, the offset just after the last of `records` there. */
function commitsAfter(records: readonly KafkaInboundRecord[]): Map<number, string> {
  const commits = new Map<number, string>();
  for (const record of records) {
    const next = BigInt(record.offset) + 1n;
    const current = commits.get(record.partition);
    if (current === undefined || BigInt(current) < next) commits.set(record.partition, String(next));
  }
  return commits;
}

function compareOffsets(a: string, b: string): number {
  const diff = BigInt(a) - BigInt(b);
  return diff < 0n ? -1 : diff > 0n ? 1 : 0;
}
