import { AppError, TimeoutError, UnavailableError } from '@nestkit/errors';
import type { KafkaTimeouts } from './kafka-bus.options';
import type { KafkaClient, KafkaConsumeOptions, KafkaConsumer } from './kafka.client';

/**
 * Bounds `promise` by `ms`: rejects with a `TimeoutError` naming the operation and the option that sets the
 * budget, and turns driver failures into an `UnavailableError` (retryable) naming the operation. The
 * operation itself is not cancelled; callers that must clean up a late result do so themselves.
 */
export async function within<T>(promise: Promise<T>, ms: number, operation: string, option: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new TimeoutError(`Kafka ${operation} did not complete within ${ms} ms; check the brokers or raise ${option}`, 'messaging.kafka-timeout')),
      ms,
    );
  });
  try {
    return await Promise.race([promise, deadline]);
  } catch (error) {
    if (error instanceof AppError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new UnavailableError(`Kafka ${operation} failed: ${reason}`, 'messaging.kafka-unavailable', error);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Wraps every call of a {@link KafkaClient} adapter in a deadline (see {@link within}), so no broker call of
 * the backend can hang, whichever driver runs underneath and however it times out on its own.
 */
export function withDeadlines(client: KafkaClient, timeouts: KafkaTimeouts): KafkaClient {
  const request = <T>(promise: Promise<T>, operation: string) => within(promise, timeouts.requestMs, operation, 'timeouts.requestMs');
  const joinMs = timeouts.rebalanceMs + timeouts.requestMs;
  return {
    produce: (records) => request(client.produce(records), `produce of ${records.length} record(s)`),
    createTopics: (topics) => request(client.createTopics(topics), `create topics ${topics.map((t) => t.name).join(', ')}`),
    listTopics: () => request(client.listTopics(), 'list topics'),
    deleteTopics: (names) => request(client.deleteTopics(names), `delete topics ${names.join(', ')}`),
    topicOffsets: (topic) => request(client.topicOffsets(topic), `offsets of ${topic}`),
    committedOffsets: (groupId, topic) => request(client.committedOffsets(groupId, topic), `committed offsets of ${groupId} on ${topic}`),
    setCommittedOffsets: (groupId, topic, offsets) =>
      request(client.setCommittedOffsets(groupId, topic, offsets), `commit of ${groupId} on ${topic}`),
    readRange: (topic, ranges) => within(client.readRange(topic, ranges), joinMs, `read of ${topic}`, 'timeouts.rebalanceMs'),
    consume: (options) => consumeWithin(client, boundCommits(options, timeouts.requestMs), joinMs),
    close: () => request(client.close(), 'disconnect'),
  };
}

function boundCommits(options: KafkaConsumeOptions, ms: number): KafkaConsumeOptions {
  return {
    ...options,
    onRecord: (record, commit) =>
      options.onRecord(record, () => within(commit(), ms, `commit of ${record.topic}/${record.partition}@${record.offset}`, 'timeouts.requestMs')),
  };
}

async function consumeWithin(client: KafkaClient, options: KafkaConsumeOptions, ms: number): Promise<KafkaConsumer> {
  const joining = client.consume(options);
  try {
    return await within(joining, ms, `join of consumer group ${options.groupId}`, 'timeouts.rebalanceMs');
  } catch (error) {
    // A join that completes after its deadline would consume with nobody owning it: close it then.
    void joining.then((late) => late.close()).catch(() => undefined);
    throw error;
  }
}
