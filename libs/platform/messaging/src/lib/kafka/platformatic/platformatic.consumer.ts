import { Consumer, type MessagesStream, stringDeserializers } from '@platformatic/kafka';
import type { KafkaClientSettings, KafkaConsumeOptions, KafkaConsumer } from '../kafka.client';
import { PartitionLanes } from './partition.lanes';
import { baseOptions, type StringMessage, toInboundRecord } from './platformatic.mapping';

type StringStream = MessagesStream<string, string, string, string>;

/** Records fetched but not handled yet, per topic, above which that topic's fetching pauses. */
const MAX_BUFFERED = 500;

/**
 * Joins `options.groupId` with a `@platformatic/kafka` consumer (manual commits; a new group starts at the
 * earliest offset). Each topic gets its own stream, so a paused retry topic never pauses the main one;
 * records go through {@link PartitionLanes} (one at a time per partition). After a rebalance, waiting records
 * of partitions this member lost are dropped; a stream that fails is replaced and re-reads from the committed offset.
 */
export async function openPlatformaticConsumer(settings: KafkaClientSettings, options: KafkaConsumeOptions): Promise<KafkaConsumer> {
  const { timeouts } = settings;
  const consumer = new Consumer<string, string, string, string>({
    ...baseOptions(settings),
    groupId: options.groupId,
    sessionTimeout: timeouts.sessionMs,
    rebalanceTimeout: timeouts.rebalanceMs,
    heartbeatInterval: timeouts.heartbeatMs,
    maxWaitTime: timeouts.fetchMaxWaitMs,
    autocommit: false,
    deserializers: stringDeserializers,
    highWaterMark: 64,
  });
  const member = new PlatformaticMember(consumer, settings, options);
  try {
    await member.open();
  } catch (error) {
    await member.close().catch(() => undefined);
    throw error;
  }
  return member;
}

class PlatformaticMember implements KafkaConsumer {
  private readonly streams = new Map<string, StringStream>();
  private readonly lanes: PartitionLanes<StringMessage>;
  private closing = false;

  constructor(
    private readonly consumer: Consumer<string, string, string, string>,
    private readonly settings: KafkaClientSettings,
    private readonly options: KafkaConsumeOptions,
  ) {
    this.lanes = new PartitionLanes<StringMessage>({
      handle: (message) => options.onRecord(toInboundRecord(message), () => commitOf(message)),
      onBuffered: (topic, count) => this.backpressure(topic, count),
    });
    consumer.on('consumer:group:join', () => this.lanes.drop((topic, partition) => this.owns(topic, partition)));
    // A failed rejoin is emitted as 'error'; unheard, it would crash the process. The consumer keeps trying.
    consumer.on('error', (error: unknown) => options.onError(error));
  }

  async open(): Promise<void> {
    // Tracked up front, the group is joined once for every topic instead of once more per stream.
    this.consumer.topics.trackAll(...this.options.topics);
    for (const topic of this.options.topics) await this.openStream(topic);
  }

  async close(): Promise<void> {
    this.closing = true;
    await this.lanes.close();
    await Promise.allSettled([...this.streams.values()].map((stream) => stream.close()));
    await this.consumer.close(true);
  }

  private async openStream(topic: string): Promise<void> {
    const stream = await this.consumer.consume({ topics: [topic], mode: 'committed', fallbackMode: 'earliest', autocommit: false });
    this.streams.set(topic, stream);
    stream.on('data', (message: StringMessage) => {
      if (!this.closing && this.owns(message.topic, message.partition)) this.lanes.push(message);
    });
    stream.on('error', (error: unknown) => this.options.onError(error));
    stream.on('close', () => {
      if (this.closing || this.streams.get(topic) !== stream) return;
      this.streams.delete(topic);
      // Records of the dead stream can no longer be committed through it: the new one re-reads them.
      this.lanes.drop((t) => t !== topic);
      this.reopen(topic);
    });
  }

  private reopen(topic: string): void {
    const timer = setTimeout(() => {
      if (this.closing) return;
      this.openStream(topic).catch((error: unknown) => {
        this.options.onError(error);
        this.reopen(topic);
      });
    }, this.settings.timeouts.redeliveryBackoffMs);
    timer.unref();
  }

  private owns(topic: string, partition: number): boolean {
    return this.consumer.assignments?.some((a) => a.topic === topic && a.partitions.includes(partition)) ?? false;
  }

  private backpressure(topic: string, count: number): void {
    const stream = this.streams.get(topic);
    if (!stream) return;
    if (count >= MAX_BUFFERED && !stream.isPaused()) stream.pause();
    else if (count <= MAX_BUFFERED / 2 && stream.isPaused()) stream.resume();
  }
}

function commitOf(message: StringMessage): Promise<void> {
  return new Promise((resolve, reject) => message.commit((error) => (error ? reject(error) : resolve())));
}
