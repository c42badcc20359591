import type { Envelope } from './envelope/envelope';
import type { MessageContract } from './envelope/message-contract';

/** Handles one message. The message is acknowledged only after the returned promise resolves. */
export type MessageHandler<T> = (payload: T, envelope: Envelope<T>) => Promise<void>;

/** How one consumer joins a consumer group. */
export interface SubscribeOptions<T> {
  /** Consumer group (a queue in RabbitMQ, a group id in Kafka). Each group gets every message once. */
  group: string;
  handler: MessageHandler<T>;
  /** Deliveries before the message is dead-lettered, the first one included. Default 5. */
  maxDeliveries?: number;
  /** Delay before redelivery n+1 after failed delivery n; the last value repeats. Default 200, 1000, 5000. */
  retryDelaysMs?: readonly number[];
  /**
   * The group belongs to this process alone: a per-instance subscription, for work every instance must do
   * (each gateway purging its own cache). Name the group uniquely per instance, e.g. `gateway.cache-purge.<uuid>`.
   * RabbitMQ declares its queues classic and non-durable, expiring a minute after the consumer is gone; the
   * in-memory bus forgets the group and its pending messages when its last subscription closes. Messages
   * published while the instance is down are not kept for it. Kafka ignores it (groups hold no messages).
   * Default false: a durable group that keeps messages for its consumers.
   */
  transient?: boolean;
}

/** A live consumer. `close` stops new deliveries to it and awaits the one it is handling. */
export interface Subscription {
  close(): Promise<void>;
}

/** Why a message was dead-lettered. */
export type DeadLetterReason = 'handler-failed' | 'invalid-payload';

/** A message that will not be delivered again, with the last error, kept for inspection and replay. */
export interface DeadLetter {
  envelope: Envelope;
  group: string;
  reason: DeadLetterReason;
  error: string;
  deliveries: number;
  deadLetteredAt: string;
}

/**
 * Receives messages of one contract for a consumer group. Semantics every backend implements:
 * - every group receives every message (fan-out); within a group one consumer handles it (competing consumers);
 * - a message is acknowledged only after the handler's promise resolves (at-least-once);
 * - a rejected handler is retried after the next delay, and dead-lettered after `maxDeliveries`;
 * - a payload that fails the contract schema is dead-lettered at once and never reaches the handler;
 * - a handler error never stops the subscriber.
 */
export interface Subscriber {
  subscribe<T>(contract: MessageContract<T>, options: SubscribeOptions<T>): Subscription;
  /** Connects and starts consuming every registered subscription (brokers); resolves once consuming. */
  start(): Promise<void>;
  /** Stops every subscription, awaiting in-flight handlers. */
  close(): Promise<void>;
}

/** Default redelivery delays, in milliseconds. */
export const DEFAULT_RETRY_DELAYS_MS: readonly number[] = [200, 1000, 5000];

/** Default number of deliveries before a message is dead-lettered. */
export const DEFAULT_MAX_DELIVERIES = 5;
