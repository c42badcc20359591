import type { IHeaders, Kafka, KafkaMessage } from 'kafkajs';
import type { KafkaClientSettings, KafkaConsumeOptions, KafkaConsumer, KafkaInboundRecord } from '../kafka.client';

/**
 * Joins `options.groupId` with a kafkajs consumer (auto-commit off, new groups start at the earliest offset)
 * and feeds each record to `options.onRecord`. A record handed back with `retryAt` is not lost: its partition
 * is paused and the consumer seeks back to it, then resumed at `retryAt`; kafkajs keeps fetching the other
 * partitions meanwhile. Resolves once the first join completed.
 */
export async function openKafkajsConsumer(kafka: Kafka, settings: KafkaClientSettings, options: KafkaConsumeOptions): Promise<KafkaConsumer> {
  const { timeouts } = settings;
  const consumer = kafka.consumer({
    groupId: options.groupId,
    sessionTimeout: timeouts.sessionMs,
    rebalanceTimeout: timeouts.rebalanceMs,
    heartbeatInterval: timeouts.heartbeatMs,
    maxWaitTimeInMs: timeouts.fetchMaxWaitMs,
    allowAutoTopicCreation: false,
  });
  const resumeTimers = new Set<NodeJS.Timeout>();
  const inFlight = new Set<Promise<unknown>>();
  let closing = false;
  consumer.on(consumer.events.CRASH, (event) => options.onError(event.payload.error));

  const holdUntil = (topic: string, partition: number, offset: string, retryAt: number): void => {
    consumer.pause([{ topic, partitions: [partition] }]);
    // Fetching resumes from this record, not after it: kafkajs marked it consumed when eachMessage returned.
    consumer.seek({ topic, partition, offset });
    const timer = setTimeout(() => {
      resumeTimers.delete(timer);
      consumer.resume([{ topic, partitions: [partition] }]);
    }, Math.max(0, retryAt - Date.now()));
    resumeTimers.add(timer);
  };

  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [...options.topics], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      // Each partition is still handled one record at a time; this lets partitions (and the retry topic) overlap.
      partitionsConsumedConcurrently: Math.max(1, settings.partitions * options.topics.length),
      eachMessage: async ({ topic, partition, message }) => {
        // Not handled and not committed: whoever owns the partition next reads it again.
        if (closing) return;
        const commit = () => consumer.commitOffsets([{ topic, partition, offset: (BigInt(message.offset) + 1n).toString() }]);
        const handling = options.onRecord(toInboundRecord(topic, partition, message), commit);
        inFlight.add(handling);
        try {
          const outcome = await handling;
          if (outcome && !closing) holdUntil(topic, partition, message.offset, outcome.retryAt);
        } finally {
          inFlight.delete(handling);
        }
      },
    });
  } catch (error) {
    await consumer.disconnect().catch(() => undefined);
    throw error;
  }

  return {
    close: async () => {
      closing = true;
      for (const timer of resumeTimers) clearTimeout(timer);
      resumeTimers.clear();
      consumer.pause(options.topics.map((topic) => ({ topic })));
      // The records in hand finish and commit before kafkajs stops: once stopping, it drops commits silently.
      await Promise.allSettled([...inFlight]);
      await consumer.disconnect();
    },
  };
}

/** The port's view of a kafkajs message. */
export function toInboundRecord(topic: string, partition: number, message: KafkaMessage): KafkaInboundRecord {
  return {
    topic,
    partition,
    offset: message.offset,
    key: message.key?.toString('utf8') ?? null,
    value: message.value?.toString('utf8') ?? null,
    headers: headersOf(message.headers),
  };
}

function headersOf(headers: IHeaders | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    const last = Array.isArray(value) ? value[value.length - 1] : value;
    if (last !== undefined) result[name] = last.toString();
  }
  return result;
}
