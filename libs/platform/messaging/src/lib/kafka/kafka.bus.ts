import { UnavailableError } from '@nestkit/errors';
import type { Envelope } from '../envelope/envelope';
import type { MessageContract } from '../envelope/message-contract';
import type { Publisher } from '../publisher';
import {
  type MessageHandler,
  type SubscribeOptions,
  type Subscriber,
  type Subscription,
} from '../subscriber';
import { retrySettings } from '../retry.settings';
import { type KafkaBusOptions, type KafkaSettings, resolveKafkaSettings } from './kafka-bus.options';
import type { KafkaClient } from './kafka.client';
import { createKafkaClient } from './kafka-client.factory';
import { encodeEnvelope } from './kafka-record.codec';
import { KafkaRecordHandler, type KafkaRoute } from './kafka-record.handler';
import { KafkaTopicProvisioner } from './kafka-topic.provisioner';
import { KafkaSubscription } from './kafka.subscription';
import { KafkaTopology } from './kafka.topology';

/**
 * The Kafka backend of {@link Publisher} and {@link Subscriber}, on `kafkajs` or `@platformatic/kafka`
 * (option `client`). One topic per message type (`<prefix><type>`, created with the configured partitions);
 * the record key is `envelope.key ?? envelope.id`, so one aggregate's messages keep their order. Publishing
 * is idempotent with acks=all and resolves only once the broker acknowledged every envelope.
 *
 * Each subscription is a member of its own consumer group `<prefix><group>.<type>`, reading the type's topic
 * and its retry topic. Offsets are committed only after the handler resolved, or after the message was moved
 * to the retry topic (`<prefix><group>.<type>.retry`, with a not-before time) or the dead-letter topic
 * (`<prefix><group>.dlt`), so a failing message never stalls the messages behind it. See the README.
 */
export class KafkaBus implements Publisher, Subscriber {
  private readonly settings: KafkaSettings;
  private readonly client: KafkaClient;
  private readonly topology: KafkaTopology;
  private readonly topics: KafkaTopicProvisioner;
  private readonly subscriptions = new Set<KafkaSubscription>();
  private readonly lateStarts = new Set<Promise<void>>();
  private started: Promise<void> | undefined;
  private closing: Promise<void> | undefined;

  /** `client` replaces the adapter `options.client` names (tests use it to inject failures). */
  constructor(
    private readonly options: KafkaBusOptions,
    client?: KafkaClient,
  ) {
    this.settings = resolveKafkaSettings(options);
    this.client = client ?? createKafkaClient(this.settings);
    this.topology = new KafkaTopology(this.settings.topicPrefix);
    this.topics = new KafkaTopicProvisioner(this.client, this.settings);
  }

  async publish(envelopes: Envelope | readonly Envelope[]): Promise<void> {
    this.assertOpen();
    const batch: readonly Envelope[] = Array.isArray(envelopes) ? envelopes : [envelopes as Envelope];
    if (batch.length === 0) return;
    const records = batch.map((envelope) => encodeEnvelope(envelope, this.topology.topic(envelope.type)));
    await this.topics.ensure(records.map((record) => record.topic));
    await this.client.produce(records);
  }

  subscribe<T>(contract: MessageContract<T>, options: SubscribeOptions<T>): Subscription {
    this.assertOpen();
    const route = this.routeFor(contract, options);
    const handler = new KafkaRecordHandler(route, {
      produce: (records) => this.client.produce(records),
      redeliveryBackoffMs: this.settings.timeouts.redeliveryBackoffMs,
      onHandlerError: this.options.onHandlerError,
      onDeadLetter: this.options.onDeadLetter,
      onError: this.settings.onError,
      now: () => Date.now(),
    });
    const main = this.topology.topic(contract.type);
    const layout = {
      groupId: this.topology.groupId(options.group, contract.type),
      consumes: [main, route.retryTopic],
      requires: [main, route.retryTopic, route.deadLetterTopic],
    };
    const subscription = new KafkaSubscription(this.client, layout, handler, this.settings.onError, (s) => this.subscriptions.delete(s));
    this.subscriptions.add(subscription);
    if (this.started) this.startLate(subscription);
    return subscription;
  }

  /**
   * Readiness: a metadata request (list topics) answered within `timeoutMs`; rejects naming the brokers
   * and the error otherwise (see `MessagingReadiness`).
   */
  async health(timeoutMs = 2_000): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      await Promise.race([this.client.listTopics(), late]);
    } catch (error) {
      throw new Error(`Kafka at ${this.options.brokers.join(',')}: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Creates the topics of every subscription and joins their consumer groups; resolves once all are consuming. */
  start(): Promise<void> {
    this.assertOpen();
    if (!this.started) {
      const starting = this.startAll();
      this.started = starting;
      // A failed start (broker down) may be retried by calling start() again.
      starting.catch(() => {
        if (this.started === starting) this.started = undefined;
      });
    }
    return this.started;
  }

  /** Stops every subscription (awaiting the records in hand and their commits), then disconnects. */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async startAll(): Promise<void> {
    const subscriptions = [...this.subscriptions];
    await this.topics.ensure(subscriptions.flatMap((s) => s.layout.requires));
    await Promise.all(subscriptions.map((s) => s.start()));
  }

  /** A subscription made after `start` joins on its own; a failure is reported, as the caller has no promise to await. */
  private startLate(subscription: KafkaSubscription): void {
    const starting = (async () => {
      await this.started?.catch(() => undefined);
      await this.topics.ensure(subscription.layout.requires);
      await subscription.start();
    })().catch((error: unknown) => this.settings.onError(error, { operation: 'subscribe', group: subscription.layout.groupId }));
    this.lateStarts.add(starting);
    void starting.finally(() => this.lateStarts.delete(starting));
  }

  private async shutdown(): Promise<void> {
    await Promise.allSettled([this.started, ...this.lateStarts]);
    await Promise.allSettled([...this.subscriptions].map((s) => s.close()));
    await this.client.close();
  }

  private routeFor<T>(contract: MessageContract<T>, options: SubscribeOptions<T>): KafkaRoute {
    return {
      contract: contract as MessageContract<unknown>,
      group: options.group,
      handler: options.handler as MessageHandler<unknown>,
      ...retrySettings(contract, options),
      retryTopic: this.topology.retryTopic(options.group, contract.type),
      deadLetterTopic: this.topology.deadLetterTopic(options.group),
    };
  }

  private assertOpen(): void {
    if (this.closing) throw new UnavailableError('The Kafka bus is closed; create a new KafkaBus to publish or subscribe again', 'messaging.bus-closed');
  }
}
