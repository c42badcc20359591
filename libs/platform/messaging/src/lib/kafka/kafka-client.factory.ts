import type { KafkaSettings } from './kafka-bus.options';
import type { KafkaClient, KafkaClientSettings } from './kafka.client';
import { withDeadlines } from './kafka-client.deadlines';

/**
 * The {@link KafkaClient} adapter `settings.client` names, with every call bounded by the configured timeouts.
 * The adapter (and so its driver) is loaded on first use: importing the messaging lib, or choosing one
 * client, never loads the other client's driver.
 */
export function createKafkaClient(settings: KafkaSettings): KafkaClient {
  const adapterSettings: KafkaClientSettings = {
    brokers: settings.brokers,
    clientId: settings.clientId,
    partitions: settings.partitions,
    timeouts: settings.timeouts,
    onDriverError: (error) => settings.onError(error, { operation: 'driver' }),
  };
  const load = async (): Promise<KafkaClient> => {
    if (settings.client === 'kafkajs') {
      const { KafkajsClient } = await import('./kafkajs/kafkajs.client');
      return new KafkajsClient(adapterSettings);
    }
    const { PlatformaticClient } = await import('./platformatic/platformatic.client');
    return new PlatformaticClient(adapterSettings);
  };
  return withDeadlines(lazily(load), settings.timeouts);
}

function lazily(load: () => Promise<KafkaClient>): KafkaClient {
  let loaded: Promise<KafkaClient> | undefined;
  const client = () => (loaded ??= load());
  return {
    produce: async (records) => (await client()).produce(records),
    createTopics: async (topics) => (await client()).createTopics(topics),
    listTopics: async () => (await client()).listTopics(),
    deleteTopics: async (names) => (await client()).deleteTopics(names),
    topicOffsets: async (topic) => (await client()).topicOffsets(topic),
    committedOffsets: async (groupId, topic) => (await client()).committedOffsets(groupId, topic),
    setCommittedOffsets: async (groupId, topic, offsets) => (await client()).setCommittedOffsets(groupId, topic, offsets),
    readRange: async (topic, ranges) => (await client()).readRange(topic, ranges),
    consume: async (options) => (await client()).consume(options),
    // Nothing to close when nothing was ever used.
    close: async () => (loaded ? (await loaded).close() : undefined),
  };
}
