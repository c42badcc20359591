import { randomUUID } from 'node:crypto';
import { type Admin, Consumer, stringDeserializers } from '@platformatic/kafka';
import type { KafkaClientSettings, KafkaInboundRecord, KafkaPartitionRange } from '../kafka.client';
import { baseOptions, type StringMessage, toInboundRecord } from './platformatic.mapping';

/**
 * Reads `[from, to)` of the given partitions of `topic` with a stream in manual-offset mode. Consuming needs a
 * group membership to get partitions assigned, so a throwaway group is joined, never committed to, and
 * deleted afterwards.
 */
export async function readRangeWithPlatformatic(
  settings: KafkaClientSettings,
  admin: Admin,
  topic: string,
  ranges: readonly KafkaPartitionRange[],
): Promise<readonly KafkaInboundRecord[]> {
  const wanted = new Map(ranges.filter((r) => BigInt(r.from) < BigInt(r.to)).map((r) => [r.partition, r]));
  if (wanted.size === 0) return [];
  const { timeouts } = settings;
  const groupId = `${settings.clientId}.range-reader.${randomUUID()}`;
  const consumer = new Consumer<string, string, string, string>({
    ...baseOptions(settings),
    groupId,
    sessionTimeout: timeouts.sessionMs,
    rebalanceTimeout: timeouts.rebalanceMs,
    heartbeatInterval: timeouts.heartbeatMs,
    maxWaitTime: timeouts.fetchMaxWaitMs,
    autocommit: false,
    deserializers: stringDeserializers,
  });
  consumer.on('error', () => undefined);
  const records: KafkaInboundRecord[] = [];
  const pending = new Set(wanted.keys());
  let timer: NodeJS.Timeout | undefined;
  try {
    const offsets = [...wanted.values()].map((r) => ({ topic, partition: r.partition, offset: BigInt(r.from) }));
    const stream = await consumer.consume({ topics: [topic], mode: 'manual', offsets, autocommit: false });
    await new Promise<void>((resolve, reject) => {
      const budget = timeouts.rebalanceMs + timeouts.requestMs;
      timer = setTimeout(() => reject(new Error(`reading ${topic} did not finish within ${budget} ms`)), budget);
      stream.on('error', reject);
      stream.on('data', (message: StringMessage) => {
        const range = wanted.get(message.partition);
        if (!range || !pending.has(message.partition)) return;
        if (message.offset >= BigInt(range.from) && message.offset < BigInt(range.to)) records.push(toInboundRecord(message));
        if (message.offset + 1n >= BigInt(range.to)) pending.delete(message.partition);
        if (pending.size === 0) resolve();
      });
    });
    await stream.close();
  } finally {
    clearTimeout(timer);
    await consumer.close(true).catch(() => undefined);
    await admin.deleteGroups({ groups: [groupId] }).catch(() => undefined);
  }
  return records.sort((a, b) => a.partition - b.partition || Number(BigInt(a.offset) - BigInt(b.offset)));
}
