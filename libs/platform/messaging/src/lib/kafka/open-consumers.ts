import type { KafkaConsumer } from './kafka.client';

/**
 * The consumers a {@link KafkaClient} adapter has open, so that closing the client closes them all; a
 * consumer closed on its own leaves the set. Shared by the kafkajs and platformatic adapters.
 */
export class OpenConsumers {
  private readonly open = new Set<KafkaConsumer>();

  /** Tracks `consumer` and returns the handle to give out. */
  add(consumer: KafkaConsumer): KafkaConsumer {
    const tracked: KafkaConsumer = {
      close: async () => {
        this.open.delete(tracked);
        await consumer.close();
      },
    };
    this.open.add(tracked);
    return tracked;
  }

  /** Closes every consumer still open, each awaited, one failure not stopping the others. */
  async closeAll(): Promise<void> {
    await Promise.allSettled([...this.open].map((c) => c.close()));
  }
}
