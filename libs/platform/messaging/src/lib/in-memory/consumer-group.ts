import { validationErrorFrom } from '@nestkit/errors';
import type { Envelope } from '../envelope/envelope';
import { InvalidMessageError } from '../invalid-message.error';
import type { MessageContract } from '../envelope/message-contract';
import type { DeadLetter, DeadLetterReason, MessageHandler } from '../subscriber';

/** One member of a group, with the options it subscribed with. */
export interface GroupConsumer {
  readonly contract: MessageContract<unknown>;
  readonly handler: MessageHandler<unknown>;
  readonly maxDeliveries: number;
  readonly retryDelaysMs: readonly number[];
  busy: boolean;
  current: Promise<void>;
}

/** What a group reports back to the bus that owns it. */
export interface GroupHost {
  deadLetter(deadLetter: DeadLetter): void;
  handlerFailed(error: unknown, envelope: Envelope, group: string): void;
  changed(): void;
}

interface Delivery {
  readonly envelope: Envelope;
  /** Deliveries already attempted. */
  readonly deliveries: number;
}

/**
 * The in-memory equivalent of a durable queue bound to one message type: it keeps messages while no
 * consumer is attached, hands each to one idle consumer (prefetch 1, round-robin) and owns redelivery.
 */
export class ConsumerGroup {
  private readonly queue: Delivery[] = [];
  private readonly consumers: GroupConsumer[] = [];
  private readonly timers = new Map<NodeJS.Timeout, Delivery>();
  private inFlight = 0;
  private cursor = 0;

  constructor(
    readonly name: string,
    private readonly host: GroupHost,
  ) {}

  enqueue(envelope: Envelope): void {
    this.queue.push({ envelope, deliveries: 0 });
    // A microtask, so a handler never runs inside the publisher's call stack.
    queueMicrotask(() => this.pump());
  }

  attach(consumer: GroupConsumer): void {
    this.consumers.push(consumer);
    queueMicrotask(() => this.pump());
  }

  async detach(consumer: GroupConsumer): Promise<void> {
    const index = this.consumers.indexOf(consumer);
    if (index >= 0) this.consumers.splice(index, 1);
    await consumer.current;
    this.host.changed();
  }

  /** Consumers attached now. */
  get attached(): number {
    return this.consumers.length;
  }

  /** Messages a consumer is handling or could pick up now. Queued messages with no consumer do not count. */
  active(): number {
    return this.inFlight + (this.consumers.length > 0 ? this.queue.length : 0);
  }

  scheduled(): number {
    return this.timers.size;
  }

  /** Moves every delayed redelivery to the queue now (tests' `drain()`). */
  redeliverNow(): void {
    for (const [timer, delivery] of this.timers) {
      clearTimeout(timer);
      this.requeue(timer, delivery);
    }
  }

  cancelRedeliveries(): void {
    for (const timer of this.timers.keys()) clearTimeout(timer);
    this.timers.clear();
  }

  private pump(): void {
    while (this.queue.length > 0) {
      const consumer = this.nextIdleConsumer();
      if (!consumer) break;
      const delivery = this.queue.shift() as Delivery;
      consumer.busy = true;
      this.inFlight += 1;
      consumer.current = this.deliver(consumer, delivery).finally(() => {
        consumer.busy = false;
        this.inFlight -= 1;
        this.pump();
        this.host.changed();
      });
    }
  }

  private nextIdleConsumer(): GroupConsumer | undefined {
    for (let i = 0; i < this.consumers.length; i += 1) {
      const candidate = this.consumers[(this.cursor + i) % this.consumers.length];
      if (!candidate.busy) {
        this.cursor = (this.cursor + i + 1) % this.consumers.length;
        return candidate;
      }
    }
    return undefined;
  }

  private async deliver(consumer: GroupConsumer, delivery: Delivery): Promise<void> {
    const deliveries = delivery.deliveries + 1;
    const parsed = consumer.contract.schema.safeParse(delivery.envelope.payload);
    if (!parsed.success) {
      const error = validationErrorFrom(parsed.error, `${delivery.envelope.type} payload`);
      this.deadLetter(delivery.envelope, 'invalid-payload', error.message, deliveries);
      return;
    }
    try {
      await consumer.handler(parsed.data, { ...delivery.envelope, payload: parsed.data });
    } catch (error) {
      if (error instanceof InvalidMessageError) {
        this.deadLetter(delivery.envelope, 'invalid-payload', error.message, deliveries);
        return;
      }
      this.host.handlerFailed(error, delivery.envelope, this.name);
      if (deliveries >= consumer.maxDeliveries) {
        this.deadLetter(delivery.envelope, 'handler-failed', messageOf(error), deliveries);
      } else {
        this.scheduleRedelivery({ envelope: delivery.envelope, deliveries }, consumer.retryDelaysMs);
      }
    }
  }

  private scheduleRedelivery(delivery: Delivery, delaysMs: readonly number[]): void {
    const delay = delaysMs[Math.min(delivery.deliveries - 1, delaysMs.length - 1)];
    const timer: NodeJS.Timeout = setTimeout(() => this.requeue(timer, delivery), delay);
    // A pending retry must not keep a CLI or test process alive on its own.
    timer.unref();
    this.timers.set(timer, delivery);
  }

  private requeue(timer: NodeJS.Timeout, delivery: Delivery): void {
    this.timers.delete(timer);
    this.queue.push(delivery);
    this.pump();
    this.host.changed();
  }

  private deadLetter(envelope: Envelope, reason: DeadLetterReason, error: string, deliveries: number): void {
    this.host.deadLetter({ envelope, group: this.name, reason, error, deliveries, deadLetteredAt: new Date().toISOString() });
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
