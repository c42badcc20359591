import type { KafkaClient } from './kafka.client';

/**
 * Creates the backend's topics with the configured partitions and replication factor, once per name and
 * process: topics are created explicitly rather than by broker auto-creation, which would use the broker's
 * defaults (often one partition). A failed creation is forgotten, so the next call tries again.
 */
export class KafkaTopicProvisioner {
  private readonly ensured = new Map<string, Promise<void>>();

  constructor(
    private readonly client: KafkaClient,
    private readonly layout: { readonly partitions: number; readonly replicationFactor: number },
  ) {}

  /** Resolves once every topic in `names` exists. */
  async ensure(names: Iterable<string>): Promise<void> {
    const unique = [...new Set(names)];
    const missing = unique.filter((name) => !this.ensured.has(name));
    if (missing.length > 0) {
      const creating = this.client.createTopics(missing.map((name) => ({ name, ...this.layout })));
      for (const name of missing) this.ensured.set(name, creating);
      creating.catch(() => {
        for (const name of missing) if (this.ensured.get(name) === creating) this.ensured.delete(name);
      });
    }
    await Promise.all(unique.map((name) => this.ensured.get(name)));
  }
}
