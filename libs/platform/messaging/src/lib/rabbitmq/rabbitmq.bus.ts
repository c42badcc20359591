import { UnavailableError } from '@nestkit/errors';
import type { Envelope } from '../envelope/envelope';
import type { MessageContract } from '../envelope/message-contract';
import type { Publisher } from '../publisher';
import { retrySettings } from '../retry.settings';
import type { MessageHandler, SubscribeOptions, Subscriber, Subscription } from '../subscriber';
import { messageOf, sleep } from './call-timeout';
import { publishConfirmed } from './confirmed.publish';
import { type RabbitMqBusOptions, type ResolvedRabbitMqBusOptions, resolveRabbitMqBusOptions } from './rabbitmq-bus.options';
import type { SettlerHost } from './rabbitmq-delivery.settler';
import { RabbitMqGroupConsumer, type Registration } from './rabbitmq-group.consumer';
import { RabbitMqConnection } from './rabbitmq.connection';
import type { RabbitMqSession } from './rabbitmq.session';
import { declareExchange, groupQueues } from './rabbitmq.topology';
import { encodeEnvelope } from './rabbitmq.wire';

/**
 * {@link Publisher} and {@link Subscriber} on RabbitMQ, with the semantics of {@link InMemoryBus}: events go
 * through one durable topic exchange routed by type; each consumer group is a durable quorum queue; a
 * message is acknowledged only after its handler resolved; failures wait in per-delay queues and end in
 * `<group>.dlq`. `publish` resolves on publisher confirms. The connection recovers by itself. See the
 * README section "RabbitMQ backend" for topology, wire format and guarantees.
 */
export class RabbitMqBus implements Publisher, Subscriber {
  private readonly options: ResolvedRabbitMqBusOptions;
  private readonly connection: RabbitMqConnection;
  private readonly host: SettlerHost;
  private readonly consumers = new Map<string, RabbitMqGroupConsumer>();
  /** Declarations started by `subscribe` on a live connection; publishes wait for them. */
  private readonly declaring = new Set<Promise<unknown>>();
  private readonly publishing = new Set<Promise<unknown>>();
  private started = false;
  private closing: Promise<void> | undefined;

  constructor(options: RabbitMqBusOptions) {
    this.options = resolveRabbitMqBusOptions(options);
    this.connection = new RabbitMqConnection(this.options, { setup: (session) => this.setup(session) });
    this.host = { options: this.options, reset: (session, error) => this.connection.reset(session, error) };
  }

  /** The name this bus's connection shows in RabbitMQ's tools: `<service>@<host>:<pid>`. */
  get connectionName(): string {
    return this.options.connectionName;
  }

  /** Every consumer group subscribed on this bus so far (for {@link RabbitMqDeadLetterAdmin}). */
  groups(): readonly string[] {
    return [...this.consumers.keys()];
  }

  /** The exchange and every queue this bus declares, for tooling (and for tests to clean up after themselves). */
  topology(): { exchange: string; queues: readonly string[] } {
    return { exchange: this.options.exchange, queues: [...this.consumers.values()].flatMap((consumer) => consumer.queueNames()) };
  }

  /** Publishes to the exchange, routed by type; resolves once RabbitMQ confirmed every envelope (see README). */
  async publish(envelopes: Envelope | readonly Envelope[]): Promise<void> {
    if (this.closing) throw closedError();
    const batch: readonly Envelope[] = Array.isArray(envelopes) ? envelopes : [envelopes as Envelope];
    if (batch.length === 0) return;
    await track(this.publishing, this.publishBatch(batch));
  }

  /**
   * Joins `options.group` (queue `<prefix><group>`, bound to `contract.type`); consumes once started. A
   * `transient` group (or one `transientGroups` names) gets expiring classic queues; throws a TypeError when
   * a group subscribed here before is asked for with the other durability.
   */
  subscribe<T>(contract: MessageContract<T>, options: SubscribeOptions<T>): Subscription {
    if (this.closing) throw closedError();
    const registration = toRegistration(contract, options);
    const consumer = this.consumerFor(options.group, options.transient === true);
    consumer.register(registration);
    // Declared at once when connected, so that a publish after `subscribe` returns is never routed nowhere.
    if (this.connection.active) void track(this.declaring, this.declareLate(consumer));
    let closed: Promise<void> | undefined;
    return { close: () => (closed ??= consumer.unregister(registration)) };
  }

  /** Connects, declares the topology of every subscription so far and starts consuming; resolves once consuming. */
  /** Readiness: resolves while connected to RabbitMQ, rejects saying why not (see `MessagingReadiness`). */
  async health(): Promise<void> {
    const problem = this.connection.problem();
    if (problem) throw new Error(`RabbitMQ: ${problem}`);
  }

  async start(): Promise<void> {
    if (this.closing) throw closedError();
    this.started = true;
    const session = await this.connection.ready(this.options.connectTimeoutMs);
    try {
      for (const consumer of this.consumers.values()) await consumer.consume(session);
    } catch (error) {
      this.connection.reset(session, asError(error));
      throw error;
    }
  }

  /** Stops consuming, waits for running handlers (up to `closeTimeoutMs`) and publishes, then disconnects. */
  close(): Promise<void> {
    this.closing ??= this.shutDown();
    return this.closing;
  }

  private async shutDown(): Promise<void> {
    const stopped = Promise.all([...this.consumers.values()].map((consumer) => consumer.stop()));
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), this.options.closeTimeoutMs)));
    const timedOut = await Promise.race([stopped.then(() => false), deadline]);
    clearTimeout(timer);
    if (timedOut) {
      const message = `handlers still running after ${this.options.closeTimeoutMs} ms; closing anyway, RabbitMQ redelivers their messages`;
      this.options.log({ level: 'warn', event: 'close-timeout', message });
    }
    await Promise.allSettled([...this.declaring, ...this.publishing]);
    await this.connection.close();
  }

  private async publishBatch(batch: readonly Envelope[]): Promise<void> {
    const deadline = Date.now() + this.options.publishTimeoutMs;
    const left = () => Math.max(1, deadline - Date.now());
    // Subscriptions made just before declare their queues first (bounded by the same deadline).
    if (this.declaring.size > 0) await Promise.race([Promise.allSettled([...this.declaring]), sleep(left())]);
    const session = await this.connection.ready(left());
    const messages = batch.map((envelope) => ({ exchange: this.options.exchange, routingKey: envelope.type, ...encodeEnvelope(envelope) }));
    await publishConfirmed(session, messages, left(), this.options.safeUrl);
  }

  private async setup(session: RabbitMqSession): Promise<void> {
    await declareExchange(session.consuming, this.options.exchange, this.options.operationTimeoutMs);
    for (const consumer of this.consumers.values()) await consumer.declare(session);
    if (!this.started) return;
    for (const consumer of this.consumers.values()) await consumer.consume(session);
  }

  private async declareLate(consumer: RabbitMqGroupConsumer): Promise<void> {
    let session: RabbitMqSession | undefined;
    try {
      session = await this.connection.ready(this.options.operationTimeoutMs);
      await consumer.declare(session);
      if (this.started) await consumer.consume(session);
    } catch (error) {
      const message = `group ${consumer.group}: declaring its queues failed (${messageOf(error)}); retrying on reconnect`;
      this.options.log({ level: 'warn', event: 'topology-failed', message, error });
      if (session) this.connection.reset(session, asError(error));
    }
  }

  private consumerFor(group: string, transient: boolean): RabbitMqGroupConsumer {
    const wanted = transient || this.options.transientGroups(group);
    let consumer = this.consumers.get(group);
    if (!consumer) {
      consumer = new RabbitMqGroupConsumer(group, groupQueues(this.options.queuePrefix, group, wanted), this.host);
      this.consumers.set(group, consumer);
    } else if (consumer.queues.transient !== wanted) {
      // RabbitMQ would refuse the redeclaration (PRECONDITION_FAILED) at the next reconnection: fail here instead.
      const kinds = (value: boolean) => (value ? 'transient' : 'durable');
      throw new TypeError(`RabbitMQ consumer group "${group}" is ${kinds(consumer.queues.transient)} here; it cannot also be subscribed as ${kinds(wanted)}`);
    }
    return consumer;
  }
}

function track<T>(set: Set<Promise<unknown>>, work: Promise<T>): Promise<T> {
  set.add(work);
  return work.finally(() => set.delete(work));
}

function toRegistration<T>(contract: MessageContract<T>, options: SubscribeOptions<T>): Registration {
  return {
    contract: contract as MessageContract<unknown>,
    handler: options.handler as MessageHandler<unknown>,
    ...retrySettings(contract, options, { because: "each is a queue's TTL" }),
    running: new Set(),
  };
}

function closedError(): UnavailableError {
  return new UnavailableError('The RabbitMQ bus is closed', 'messaging.bus-closed');
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(messageOf(error));
}
