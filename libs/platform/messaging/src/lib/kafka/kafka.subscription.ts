import type { Subscription } from '../subscriber';
import type { KafkaErrorContext } from './kafka-bus.options';
import type { KafkaClient, KafkaConsumer } from './kafka.client';
import type { KafkaRecordHandler } from './kafka-record.handler';

/** Where one subscription lives on the broker. */
export interface KafkaSubscriptionLayout {
  /** Its own consumer group (see `KafkaTopology.groupId`). */
  readonly groupId: string;
  /** The topics it consumes: the type's topic and its retry topic. */
  readonly consumes: readonly string[];
  /** Every topic it needs to exist, the dead-letter topic included. */
  readonly requires: readonly string[];
}

/**
 * One `subscribe` call on the Kafka bus: a member of the subscription's consumer group whose records go
 * through a {@link KafkaRecordHandler}. `close` stops fetching, awaits the record in hand (and its commit)
 * and leaves the group, so the group's other members (or the next start) take over from the committed offset.
 */
export class KafkaSubscription implements Subscription {
  private consumer: Promise<KafkaConsumer> | undefined;
  private closing: Promise<void> | undefined;

  constructor(
    private readonly client: KafkaClient,
    readonly layout: KafkaSubscriptionLayout,
    private readonly handler: KafkaRecordHandler,
    private readonly onError: (error: unknown, context: KafkaErrorContext) => void,
    private readonly onClosed: (subscription: KafkaSubscription) => void,
  ) {}

  /** Joins the consumer group; resolves once consuming. Calling it again returns the same join; after a failed join it tries again. */
  async start(): Promise<void> {
    if (this.closing) return;
    if (!this.consumer) {
      const joining = this.client.consume({
        groupId: this.layout.groupId,
        topics: this.layout.consumes,
        onRecord: (record, commit) => this.handler.onRecord(record, commit),
        onError: (error) => this.onError(error, { operation: 'consume', group: this.layout.groupId }),
      });
      this.consumer = joining;
      joining.catch(() => {
        if (this.consumer === joining) this.consumer = undefined;
      });
    }
    await this.consumer;
  }

  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    this.onClosed(this);
    const consumer = await this.consumer?.catch(() => undefined);
    await consumer?.close();
  }
}
