import { validationErrorFrom } from '@nestkit/errors';
import type { ConsumeMessage } from 'amqplib';
import type { Envelope } from '../envelope/envelope';
import type { MessageContract } from '../envelope/message-contract';
import { InvalidMessageError } from '../invalid-message.error';
import type { MessageHandler } from '../subscriber';
import { messageOf, sleep, withTimeout } from './call-timeout';
import { envelopeOf } from './rabbitmq-dead-letter.codec';
import { type Delivery, DeliverySettler, type SettlerHost } from './rabbitmq-delivery.settler';
import type { RabbitMqSession } from './rabbitmq.session';
import { declareGroup, type GroupQueues } from './rabbitmq.topology';
import { decodeEnvelope, failedDeliveries } from './rabbitmq.wire';

/** How long a message of a type nobody here handles is held before it is requeued for another consumer. */
const UNHANDLED_REQUEUE_PAUSE_MS = 1_000;

/** One `subscribe` call: a handler for one contract in this group. */
export interface Registration {
  readonly contract: MessageContract<unknown>;
  readonly handler: MessageHandler<unknown>;
  readonly maxDeliveries: number;
  readonly retryDelaysMs: readonly number[];
  /** Deliveries this registration is handling, settlement included. */
  readonly running: Set<Promise<void>>;
}

/**
 * The consumer of one group's queue on the current session. Its queue may carry several types (one binding
 * per subscribed contract); each message goes to a registration for its type, round-robin, with handlers
 * of one ordering key run one after another. It validates, runs the handler and settles the delivery.
 */
export class RabbitMqGroupConsumer {
  private readonly registrations = new Map<string, Registration[]>();
  private readonly types = new Set<string>();
  private readonly delays = new Set<number>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly keyChains = new Map<string, Promise<void>>();
  private readonly settler: DeliverySettler;
  private consumer: { session: RabbitMqSession; tag: Promise<string> } | undefined;
  private cursor = 0;

  constructor(
    readonly group: string,
    readonly queues: GroupQueues,
    private readonly host: SettlerHost,
  ) {
    this.settler = new DeliverySettler(group, queues, host);
  }

  get empty(): boolean {
    return this.registrations.size === 0;
  }

  /** Messages taken from the queue and not yet settled. */
  get active(): number {
    return this.inFlight.size;
  }

  /** Every queue of this group that `declare` creates. */
  queueNames(): string[] {
    return [this.queues.main, this.queues.deadLetters, ...[...this.delays].map((delay) => this.queues.retry(delay))];
  }

  register(registration: Registration): void {
    const { type } = registration.contract;
    this.registrations.set(type, [...(this.registrations.get(type) ?? []), registration]);
    this.types.add(type);
    for (const delay of registration.retryDelaysMs) this.delays.add(delay);
  }

  /** Removes `registration`; when it was the group's last, stops consuming. Resolves once its handlers settled. */
  async unregister(registration: Registration): Promise<void> {
    const { type } = registration.contract;
    const remaining = (this.registrations.get(type) ?? []).filter((r) => r !== registration);
    if (remaining.length > 0) this.registrations.set(type, remaining);
    else this.registrations.delete(type);
    if (this.empty) await this.stop();
    await Promise.allSettled([...registration.running]);
  }

  /** Declares the group's queues and bindings for every type ever subscribed here. */
  async declare(session: RabbitMqSession): Promise<void> {
    const topology = { exchange: this.host.options.exchange, queues: this.queues, types: this.types, retryDelaysMs: this.delays };
    await declareGroup(session.consuming, topology, this.host.options.operationTimeoutMs);
  }

  /** Starts consuming on `session`, unless already consuming there or nobody is subscribed. */
  async consume(session: RabbitMqSession): Promise<void> {
    if (this.empty) return;
    if (this.consumer?.session === session && session.alive) {
      await this.consumer.tag;
      return;
    }
    const reply = session.consuming.consume(this.queues.main, (message) => this.onMessage(session, message), { noAck: false });
    const tag = withTimeout(reply, this.host.options.operationTimeoutMs, `consuming from ${this.queues.main}`).then((ok) => ok.consumerTag);
    this.consumer = { session, tag };
    await tag;
  }

  /** Cancels the consumer (no new deliveries) and waits for the running ones to settle. */
  async stop(): Promise<void> {
    const consumer = this.consumer;
    this.consumer = undefined;
    if (consumer?.session.alive) {
      const timeoutMs = this.host.options.operationTimeoutMs;
      await consumer.tag.then((tag) => withTimeout(consumer.session.consuming.cancel(tag), timeoutMs, `cancelling the consumer of ${this.queues.main}`)).catch(() => undefined);
    }
    await this.settled();
  }

  /** Resolves once every delivery taken so far is settled (or its session is gone). */
  async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private onMessage(session: RabbitMqSession, message: ConsumeMessage | null): void {
    if (message === null) {
      // The broker cancelled us, e.g. because the queue was deleted: reconnecting declares it again.
      if (this.consumer?.session === session) this.consumer = undefined;
      this.host.reset(session, new Error(`RabbitMQ cancelled the consumer of ${this.queues.main} (was the queue deleted?)`));
      return;
    }
    const work: Promise<void> = this.handle({ session, message })
      .catch((error: unknown) => this.host.options.log({ level: 'error', event: 'settle-failed', message: `group ${this.group}: ${messageOf(error)}`, error }))
      .finally(() => this.inFlight.delete(work));
    this.inFlight.add(work);
  }

  private async handle(delivery: Delivery): Promise<void> {
    const deliveries = failedDeliveries(delivery.message) + 1;
    const decoded = decodeEnvelope(delivery.message.content);
    if (!decoded.ok) return this.settler.deadLetter(delivery, envelopeOf(delivery.message), 'invalid-payload', decoded.error, deliveries);
    const registration = this.pick(decoded.envelope.type);
    if (!registration) return this.requeueUnhandled(delivery, decoded.envelope.type);
    const run = this.process(delivery, decoded.envelope, registration, deliveries);
    registration.running.add(run);
    return run.finally(() => registration.running.delete(run));
  }

  private async process(delivery: Delivery, envelope: Envelope, registration: Registration, deliveries: number): Promise<void> {
    const parsed = registration.contract.schema.safeParse(envelope.payload);
    if (!parsed.success) {
      const error = validationErrorFrom(parsed.error, `${envelope.type} payload`).message;
      return this.settler.deadLetter(delivery, envelope, 'invalid-payload', error, deliveries);
    }
    let failure: { error: unknown } | undefined;
    await this.inKeyOrder(envelope.key, async () => {
      try {
        await registration.handler(parsed.data, { ...envelope, payload: parsed.data });
      } catch (error) {
        failure = { error };
      }
    });
    if (!failure) return this.settler.ack(delivery);
    const { error } = failure;
    if (error instanceof InvalidMessageError) return this.settler.deadLetter(delivery, envelope, 'invalid-payload', error.message, deliveries);
    this.host.options.onHandlerError?.(error, envelope, this.group);
    if (deliveries >= registration.maxDeliveries) return this.settler.deadLetter(delivery, envelope, 'handler-failed', messageOf(error), deliveries);
    return this.settler.retry(delivery, deliveries, registration.retryDelaysMs);
  }

  /**
   * A type bound to this queue that no registration here handles (its subscription closed, or another
   * version of the service subscribes to more types). Rejected back to the queue after a pause, for the
   * consumers that do; a type nobody handles any more reaches the DLQ through the broker's delivery limit.
   */
  private async requeueUnhandled(delivery: Delivery, type: string): Promise<void> {
    if (this.consumer) {
      this.host.options.log({ level: 'warn', event: 'unhandled-type', message: `group ${this.group} has no subscription for ${type} here; requeueing it` });
      await sleep(UNHANDLED_REQUEUE_PAUSE_MS);
    }
    this.settler.requeue(delivery);
  }

  private pick(type: string): Registration | undefined {
    const candidates = this.registrations.get(type);
    if (!candidates) return undefined;
    this.cursor = (this.cursor + 1) % candidates.length;
    return candidates[this.cursor];
  }

  private inKeyOrder(key: string | undefined, run: () => Promise<void>): Promise<void> {
    if (key === undefined) return run();
    const next = (this.keyChains.get(key) ?? Promise.resolve()).then(run);
    this.keyChains.set(key, next);
    return next.finally(() => {
      if (this.keyChains.get(key) === next) this.keyChains.delete(key);
    });
  }
}
