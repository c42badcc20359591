import { randomUUID } from 'node:crypto';
import { connect } from 'amqplib';
import type { Envelope } from '../envelope/envelope';
import type { MessageContract } from '../envelope/message-contract';
import type { Publisher } from '../publisher';
import type { DeadLetter, SubscribeOptions, Subscriber } from '../subscriber';
import type { MessagingHarness, MessagingHarnessFactory } from '../testing/messaging.harness';
import type { RabbitMqBusOptions } from './rabbitmq-bus.options';
import { RabbitMqBus } from './rabbitmq.bus';
import { RabbitMqDeadLetterAdmin } from './rabbitmq.dead-letter.admin';

/**
 * A {@link MessagingHarnessFactory} for the conformance suites on a real broker: every harness gets its own
 * exchange and queue prefix (so groups named `g` in two tests never meet), and deletes them on `close`.
 */
export function rabbitMqHarness(url: string, overrides: Partial<RabbitMqBusOptions> = {}): MessagingHarnessFactory {
  return () => new RabbitMqTestHarness(url, overrides);
}

/**
 * A {@link RabbitMqBus} under test. `idle()` is exact rather than timed: it counts, per published envelope,
 * one outcome (handled, or dead-lettered) for every group subscribed to its type, and resolves when all
 * are in. Only for messages published through this harness by tests that do not crash consumers.
 */
export class RabbitMqTestHarness implements MessagingHarness {
  readonly namespace = `nestkit-test.${randomUUID().slice(0, 8)}`;
  readonly bus: RabbitMqBus;
  readonly admin: RabbitMqDeadLetterAdmin;
  readonly publisher: Publisher = { publish: (envelopes) => this.publish(envelopes) };
  readonly subscriber: Subscriber;
  private readonly siblings: RabbitMqBus[] = [];
  private readonly groupsByType = new Map<string, Set<string>>();
  private expected = 0;
  private outcomes = 0;

  constructor(
    private readonly url: string,
    overrides: Partial<RabbitMqBusOptions> = {},
  ) {
    this.bus = new RabbitMqBus({
      ...this.busOptions(),
      ...overrides,
      onDeadLetter: (deadLetter) => {
        this.outcomes += 1;
        overrides.onDeadLetter?.(deadLetter);
      },
    });
    this.admin = new RabbitMqDeadLetterAdmin({ url, groups: () => this.bus.groups(), queuePrefix: `${this.namespace}.` });
    this.subscriber = {
      subscribe: (contract, options) => this.subscribe(contract, options),
      start: () => this.bus.start(),
      close: () => this.bus.close(),
    };
  }

  /** Another bus on the same exchange and queues (another instance of the service); closed by `close`. */
  sibling(overrides: Partial<RabbitMqBusOptions> = {}): RabbitMqBus {
    const bus = new RabbitMqBus({ ...this.busOptions(), service: `${this.namespace}-${this.siblings.length + 1}`, ...overrides });
    this.siblings.push(bus);
    return bus;
  }

  /** Resolves once every envelope published here has an outcome in every group subscribed to its type. */
  async idle(timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.outcomes < this.expected) {
      if (Date.now() > deadline) throw new Error(`RabbitMQ harness not idle after ${timeoutMs} ms: ${this.outcomes} of ${this.expected} outcomes`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  async deadLetters(): Promise<readonly DeadLetter[]> {
    const lists = await Promise.all(this.bus.groups().map((group) => this.admin.list(group)));
    return lists.flat().sort((a, b) => a.deadLetteredAt.localeCompare(b.deadLetteredAt));
  }

  /** Closes the bus and the admin, and deletes every queue and the exchange this harness used. */
  async close(): Promise<void> {
    await Promise.all([this.bus, ...this.siblings].map((bus) => bus.close()));
    await this.admin.close();
    const buses = [this.bus, ...this.siblings];
    const connection = await connect(this.url, { timeout: 5_000 });
    try {
      const channel = await connection.createChannel();
      for (const queue of new Set(buses.flatMap((bus) => bus.topology().queues))) await channel.deleteQueue(queue);
      await channel.deleteExchange(this.bus.topology().exchange);
    } finally {
      await connection.close();
    }
  }

  private busOptions(): RabbitMqBusOptions {
    const ns = this.namespace;
    return { url: this.url, service: ns, exchange: `${ns}.events`, queuePrefix: `${ns}.`, reconnect: { initialMs: 50, maxMs: 500 } };
  }

  private async publish(envelopes: Envelope | readonly Envelope[]): Promise<void> {
    const batch: readonly Envelope[] = Array.isArray(envelopes) ? envelopes : [envelopes as Envelope];
    await this.bus.publish(batch);
    for (const envelope of batch) this.expected += this.groupsByType.get(envelope.type)?.size ?? 0;
  }

  private subscribe<T>(contract: MessageContract<T>, options: SubscribeOptions<T>) {
    const groups = this.groupsByType.get(contract.type) ?? new Set<string>();
    groups.add(options.group);
    this.groupsByType.set(contract.type, groups);
    return this.bus.subscribe(contract, {
      ...options,
      handler: async (payload, envelope) => {
        await options.handler(payload, envelope);
        this.outcomes += 1;
      },
    });
  }
}
