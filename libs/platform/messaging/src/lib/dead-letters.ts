import type { DeadLetter } from './subscriber';

/** One consumer group's dead-letter queue (RabbitMQ) or topic (Kafka), as the DLQ tooling lists it. */
export interface DeadLetterQueueInfo {
  group: string;
  /** Where the messages sit on the broker: the queue or topic name. */
  location: string;
  count: number;
}

/**
 * Operations on dead-lettered messages, for `npm run dlq` and for tests: every broker backend offers one.
 * `list` does not consume: the messages stay dead-lettered until `replay` moves them back.
 */
export interface DeadLetterAdmin {
  /** Every consumer group that has a dead-letter queue, with how many messages it holds. */
  queues(): Promise<readonly DeadLetterQueueInfo[]>;
  /** Up to `limit` (default 100) dead letters of `group`, oldest first, without removing them. */
  list(group: string, limit?: number): Promise<readonly DeadLetter[]>;
  /**
   * Sends dead letters of `group` back to that group for a fresh set of deliveries (only those whose envelope id
   * is in `ids`, when given) and removes them from the dead-letter queue; resolves with how many were replayed.
   */
  replay(group: string, options?: { ids?: readonly string[] }): Promise<number>;
  close(): Promise<void>;
}
