import type { ConsumeMessage } from 'amqplib';
import type { Envelope } from '../envelope/envelope';
import type { DeadLetterReason } from '../subscriber';
import { messageOf } from './call-timeout';
import { publishConfirmed } from './confirmed.publish';
import type { ResolvedRabbitMqBusOptions } from './rabbitmq-bus.options';
import type { RabbitMqSession } from './rabbitmq.session';
import { declareQueue, type GroupQueue, type GroupQueues } from './rabbitmq.topology';
import { deadLetterHeaders, movedMessageOptions, RABBITMQ_HEADERS } from './rabbitmq.wire';

/** A message as taken from a group's queue, with the session (channel) it must be settled on. */
export interface Delivery {
  readonly session: RabbitMqSession;
  readonly message: ConsumeMessage;
}

/** What a settler needs from the bus. */
export interface SettlerHost {
  readonly options: ResolvedRabbitMqBusOptions;
  /** Drops the session and reconnects (re-declaring topology), after a move could not be confirmed. */
  reset(session: RabbitMqSession, error: Error): void;
}

/**
 * Ends one delivery of a group: acknowledges it, or first moves a copy to the delay queue or the DLQ and
 * acknowledges it only once the broker confirmed the copy, so dying in between duplicates but never loses.
 * Nothing is settled on a dead session: the broker redelivers those messages on its own.
 */
export class DeliverySettler {
  constructor(
    private readonly group: string,
    private readonly queues: GroupQueues,
    private readonly host: SettlerHost,
  ) {}

  ack(delivery: Delivery): void {
    if (!delivery.session.alive) return;
    try {
      delivery.session.consuming.ack(delivery.message);
    } catch {
      // The channel closed a moment ago: the broker redelivers the message, as it must.
    }
  }

  /**
   * Returns the message to the head of its queue, for another consumer. `basic.reject`, not `nack`: every
   * RabbitMQ version counts a reject towards the queue's delivery limit (4.3+ no longer counts nacks).
   */
  requeue(delivery: Delivery): void {
    if (!delivery.session.alive) return;
    try {
      delivery.session.consuming.reject(delivery.message, true);
    } catch {
      // As in `ack`.
    }
  }

  /** Sends failed delivery number `deliveries` to wait out its delay, after which it returns to the group. */
  async retry(delivery: Delivery, deliveries: number, retryDelaysMs: readonly number[]): Promise<void> {
    const retryMs = retryDelaysMs[Math.min(deliveries - 1, retryDelaysMs.length - 1)];
    await this.moveThenAck(delivery, { retryMs }, { [RABBITMQ_HEADERS.deliveries]: deliveries });
  }

  async deadLetter(delivery: Delivery, envelope: Envelope, reason: DeadLetterReason, error: string, deliveries: number): Promise<void> {
    const at = new Date();
    const moved = await this.moveThenAck(delivery, 'dead-letters', deadLetterHeaders(this.group, reason, error, deliveries, at));
    if (moved) this.host.options.onDeadLetter?.({ envelope, group: this.group, reason, error, deliveries, deadLetteredAt: at.toISOString() });
  }

  private async moveThenAck(delivery: Delivery, target: GroupQueue, headers: Record<string, unknown>): Promise<boolean> {
    if (!delivery.session.alive) return false;
    const { options } = this.host;
    const queue = target === 'dead-letters' ? this.queues.deadLetters : typeof target === 'object' ? this.queues.retry(target.retryMs) : this.queues.main;
    const message = { exchange: '', routingKey: queue, content: delivery.message.content, options: movedMessageOptions(delivery.message, headers) };
    try {
      // A transient group's delay and dead-letter queues expire when unused: declaring one keeps it.
      if (this.queues.transient) await declareQueue(delivery.session.consuming, this.queues, target, options.operationTimeoutMs);
      await publishConfirmed(delivery.session, [message], options.publishTimeoutMs, options.safeUrl);
    } catch (error) {
      options.log({
        level: 'error',
        event: 'settle-failed',
        message: `group ${this.group}: could not move message ${delivery.message.properties.messageId} to ${queue} (${messageOf(error)}); ` +
          'it stays unacknowledged and the bus reconnects, so RabbitMQ delivers it again',
        error,
      });
      this.host.reset(delivery.session, error instanceof Error ? error : new Error(messageOf(error)));
      return false;
    }
    this.ack(delivery);
    return true;
  }
}
