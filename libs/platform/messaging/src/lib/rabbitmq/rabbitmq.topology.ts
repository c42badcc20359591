import type { Channel, Options } from 'amqplib';
import { withTimeout } from './call-timeout';

/** Returns to a group's queue (consumer crash, lost connection) after which the broker dead-letters a message. */
export const BROKER_DELIVERY_LIMIT = 20;

/**
 * Deliveries of one dead letter (each `list` counts one on brokers before 4.3) after which the broker would
 * drop it; set explicitly because RabbitMQ 4 defaults quorum queues to 20, which listing would soon use up.
 */
const DEAD_LETTER_DELIVERY_LIMIT = 1_000_000;

/** How long the queues of a transient group outlive their last use (consumer, declaration). */
export const TRANSIENT_QUEUE_EXPIRES_MS = 60_000;

/** Longest queue name AMQP allows (a short string, in bytes). */
const MAX_QUEUE_NAME_BYTES = 255;

/** The queues of one consumer group. */
export interface GroupQueues {
  /** Where the group consumes: `<prefix><group>`, bound to the exchange with each subscribed type. */
  readonly main: string;
  /** Where messages wait out a redelivery delay: `<prefix><group>.retry.<ms>`. */
  retry(delayMs: number): string;
  /** Where messages that will not be delivered again are kept: `<prefix><group>.dlq`. */
  readonly deadLetters: string;
  /** Per-instance group (request replies): classic queues that expire once unused, instead of durable quorum ones. */
  readonly transient: boolean;
}

/** The queue names of `group`; throws a TypeError naming the group if they would be invalid or ambiguous. */
export function groupQueues(queuePrefix: string, group: string, transient = false): GroupQueues {
  if (group.trim() === '') throw new TypeError('RabbitMQ consumer group must not be empty');
  if (group.endsWith('.dlq') || group.includes('.retry.')) {
    throw new TypeError(`RabbitMQ consumer group "${group}" must not end with ".dlq" or contain ".retry.": those names are its own queues`);
  }
  const main = `${queuePrefix}${group}`;
  if (Buffer.byteLength(`${main}.retry.${Number.MAX_SAFE_INTEGER}`) > MAX_QUEUE_NAME_BYTES) {
    throw new TypeError(`RabbitMQ consumer group "${group}" is too long: its queue names must fit in ${MAX_QUEUE_NAME_BYTES} bytes`);
  }
  return { main, retry: (delayMs) => `${main}.retry.${delayMs}`, deadLetters: `${main}.dlq`, transient };
}

/** What to declare for one consumer group. */
export interface GroupTopology {
  readonly exchange: string;
  readonly queues: GroupQueues;
  readonly types: Iterable<string>;
  readonly retryDelaysMs: Iterable<number>;
}

/** One of a group's queues: its main queue, its dead-letter queue, or the delay queue of a delay. */
export type GroupQueue = 'main' | 'dead-letters' | { retryMs: number };

/** Declares the durable topic exchange events are published to. Idempotent. */
export async function declareExchange(channel: Channel, exchange: string, timeoutMs: number): Promise<void> {
  await withTimeout(channel.assertExchange(exchange, 'topic', { durable: true }), timeoutMs, `declaring exchange ${exchange}`);
}

/**
 * Declares a group's queues and binds its main queue to each type. Idempotent, so it runs at start and
 * again after every reconnection. Arguments must never change once deployed: RabbitMQ refuses to
 * redeclare a queue with different ones (PRECONDITION_FAILED).
 */
export async function declareGroup(channel: Channel, topology: GroupTopology, timeoutMs: number): Promise<void> {
  const { exchange, queues } = topology;
  await declareQueue(channel, queues, 'dead-letters', timeoutMs);
  await declareQueue(channel, queues, 'main', timeoutMs);
  for (const retryMs of new Set(topology.retryDelaysMs)) await declareQueue(channel, queues, { retryMs }, timeoutMs);
  for (const type of new Set(topology.types)) {
    await withTimeout(channel.bindQueue(queues.main, exchange, type), timeoutMs, `binding ${queues.main} to ${exchange} for ${type}`);
  }
}

/**
 * Declares one queue of a group. Durable groups get quorum queues; the broker's own safety net sends a
 * message returned BROKER_DELIVERY_LIMIT times to the DLQ. Transient groups get classic queues with
 * `x-expires`: they vanish a minute after their instance is gone (delay and dead-letter queues, which have
 * no consumer, are declared again before each use to keep them).
 */
export async function declareQueue(channel: Channel, queues: GroupQueues, queue: GroupQueue, timeoutMs: number): Promise<void> {
  const name = queue === 'main' ? queues.main : queue === 'dead-letters' ? queues.deadLetters : queues.retry(queue.retryMs);
  const options = queues.transient ? transientQueue(queues, queue) : durableQueue(queues, queue);
  await withTimeout(channel.assertQueue(name, options), timeoutMs, `declaring queue ${name}`);
}

function durableQueue(queues: GroupQueues, queue: GroupQueue): Options.AssertQueue {
  const args: Record<string, unknown> =
    queue === 'main'
      ? { ...deadLetterTo(queues.deadLetters), 'x-delivery-limit': BROKER_DELIVERY_LIMIT }
      : queue === 'dead-letters'
        ? { 'x-delivery-limit': DEAD_LETTER_DELIVERY_LIMIT }
        : { 'x-message-ttl': queue.retryMs, ...deadLetterTo(queues.main) };
  return { durable: true, arguments: { 'x-queue-type': 'quorum', ...args } };
}

function transientQueue(queues: GroupQueues, queue: GroupQueue): Options.AssertQueue {
  const args: Record<string, unknown> =
    queue === 'main' || queue === 'dead-letters'
      ? { 'x-expires': TRANSIENT_QUEUE_EXPIRES_MS }
      : { 'x-expires': TRANSIENT_QUEUE_EXPIRES_MS + queue.retryMs, 'x-message-ttl': queue.retryMs, 'x-dead-letter-exchange': '', 'x-dead-letter-routing-key': queues.main };
  return { durable: false, arguments: { 'x-queue-type': 'classic', ...args } };
}

/**
 * Quorum dead-lettering with the at-least-once strategy: a message leaves its queue only once the target
 * queue confirmed it, so a retry delay ending during a broker restart loses nothing. The strategy needs
 * `reject-publish` overflow, which is inert here because these queues have no length limit.
 */
function deadLetterTo(queue: string): Record<string, unknown> {
  return {
    'x-dead-letter-exchange': '',
    'x-dead-letter-routing-key': queue,
    'x-dead-letter-strategy': 'at-least-once',
    'x-overflow': 'reject-publish',
  };
}
