import { randomUUID } from 'node:crypto';
import type { Admin, Consumer, Kafka } from 'kafkajs';
import type { KafkaClientSettings, KafkaInboundRecord, KafkaPartitionOffset, KafkaPartitionRange } from '../kafka.client';
import { toInboundRecord } from './kafkajs.consumer';

/**
 * Reads `[from, to)` of the given partitions of `topic`. kafkajs cannot assign partitions without a consumer
 * group, so this joins a throwaway group, seeks every partition to where its range starts (the others to their
 * end) as soon as it joined, reads until every range is complete, then deletes the group.
 */
export async function readRangeWithKafkajs(
  kafka: Kafka,
  admin: Admin,
  settings: KafkaClientSettings,
  topic: string,
  ranges: readonly KafkaPartitionRange[],
): Promise<readonly KafkaInboundRecord[]> {
  const wanted = new Map(ranges.filter((r) => BigInt(r.from) < BigInt(r.to)).map((r) => [r.partition, r]));
  if (wanted.size === 0) return [];
  const groupId = `${settings.clientId}.range-reader.${randomUUID()}`;
  const ends = await admin.fetchTopicOffsets(topic);
  const consumer = memberOf(kafka, settings, groupId);
  const records: KafkaInboundRecord[] = [];
  const pending = new Set(wanted.keys());
  let timer: NodeJS.Timeout | undefined;
  let seeked = false;
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [topic] });
    // GROUP_JOIN fires before the first fetch; seeking on later joins would read the ranges twice.
    consumer.on(consumer.events.GROUP_JOIN, () => {
      if (seeked) return;
      seeked = true;
      for (const { partition, high } of ends) consumer.seek({ topic, partition, offset: wanted.get(partition)?.from ?? high });
    });
    await new Promise<void>((resolve, reject) => {
      const budget = settings.timeouts.rebalanceMs + settings.timeouts.requestMs;
      timer = setTimeout(() => reject(new Error(`reading ${topic} did not finish within ${budget} ms`)), budget);
      consumer.on(consumer.events.CRASH, (event) => reject(event.payload.error));
      consumer
        .run({
          autoCommit: false,
          eachMessage: async ({ partition, message }) => {
            const range = wanted.get(partition);
            if (!range || !pending.has(partition)) return;
            const offset = BigInt(message.offset);
            if (offset >= BigInt(range.from) && offset < BigInt(range.to)) records.push(toInboundRecord(topic, partition, message));
            if (offset + 1n >= BigInt(range.to)) pending.delete(partition);
            if (pending.size === 0) resolve();
          },
        })
        .catch(reject);
    });
  } finally {
    clearTimeout(timer);
    await consumer.disconnect().catch(() => undefined);
    await admin.deleteGroups([groupId]).catch(() => undefined);
  }
  return records.sort((a, b) => a.partition - b.partition || Number(BigInt(a.offset) - BigInt(b.offset)));
}

/**
 * Commits `offsets` for `groupId` by joining it briefly, paused, and committing as its member. kafkajs's own
 * `admin.setOffsets` does the same but waits out a 5 s fetch it cannot be told to shorten.
 */
export async function commitAsMember(
  kafka: Kafka,
  settings: KafkaClientSettings,
  groupId: string,
  topic: string,
  offsets: readonly KafkaPartitionOffset[],
): Promise<void> {
  const consumer = memberOf(kafka, settings, groupId);
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [topic] });
    consumer.on(consumer.events.GROUP_JOIN, () => consumer.pause([{ topic }]));
    await consumer.run({ autoCommit: false, eachMessage: async () => undefined });
    await consumer.commitOffsets(offsets.map(({ partition, offset }) => ({ topic, partition, offset })));
  } finally {
    await consumer.disconnect().catch(() => undefined);
  }
}

function memberOf(kafka: Kafka, settings: KafkaClientSettings, groupId: string): Consumer {
  const { timeouts } = settings;
  return kafka.consumer({
    groupId,
    sessionTimeout: timeouts.sessionMs,
    rebalanceTimeout: timeouts.rebalanceMs,
    heartbeatInterval: timeouts.heartbeatMs,
    maxWaitTimeInMs: timeouts.fetchMaxWaitMs,
    allowAutoTopicCreation: false,
  });
}
