import { UnavailableError } from '@nestkit/errors';
import type { Envelope } from '../envelope/envelope';
import type { MessageContract } from '../envelope/message-contract';
import type { Publisher } from '../publisher';
import {
  type DeadLetter,
  type MessageHandler,
  type SubscribeOptions,
  type Subscriber,
  type Subscription,
} from '../subscriber';
import { retrySettings } from '../retry.settings';
import { ConsumerGroup, type GroupConsumer, type GroupHost } from './consumer-group';

const SHARED = Symbol.for('nestkit.messaging.in-memory');

/** Hooks for logging what the bus does with failures; both optional. */
export interface InMemoryBusOptions {
  onHandlerError?: (error: unknown, envelope: Envelope, group: string) => void;
  onDeadLetter?: (deadLetter: DeadLetter) => void;
}

interface Waiter {
  done: () => boolean;
  resolve: () => void;
}

/**
 * An in-process bus that implements {@link Publisher} and {@link Subscriber} with the same semantics as
 * the broker backends: fan-out per group, competing consumers, ack after the handler, delayed retries,
 * dead letters. Messages are copied through JSON, as over a wire. The embedded default for `BUS=memory`.
 */
export class InMemoryBus implements Publisher, Subscriber {
  private readonly groups = new Map<string, Map<string, ConsumerGroup>>();
  private readonly subscriptions = new Set<Subscription>();
  private readonly dead: DeadLetter[] = [];
  private waiters: Waiter[] = [];
  private closed = false;
  private readonly host: GroupHost;

  constructor(private readonly options: InMemoryBusOptions = {}) {
    this.host = {
      deadLetter: (deadLetter) => {
        this.dead.push(deadLetter);
        this.options.onDeadLetter?.(deadLetter);
      },
      handlerFailed: (error, envelope, group) => this.options.onHandlerError?.(error, envelope, group),
      changed: () => this.notify(),
    };
  }

  /** The process-wide bus, kept on `globalThis` so every app started in one Node process shares it. */
  static shared(): InMemoryBus {
    const holder = globalThis as { [SHARED]?: InMemoryBus };
    const current = holder[SHARED];
    if (current && !current.closed) return current;
    const bus = new InMemoryBus();
    holder[SHARED] = bus;
    return bus;
  }

  async publish(envelopes: Envelope | readonly Envelope[]): Promise<void> {
    if (this.closed) throw new UnavailableError('The in-memory bus is closed', 'messaging.bus-closed');
    const batch: readonly Envelope[] = Array.isArray(envelopes) ? envelopes : [envelopes as Envelope];
    for (const envelope of batch) {
      const serialized = JSON.stringify(envelope);
      for (const group of this.groups.get(envelope.type)?.values() ?? []) {
        group.enqueue(JSON.parse(serialized) as Envelope);
      }
    }
  }

  subscribe<T>(contract: MessageContract<T>, options: SubscribeOptions<T>): Subscription {
    if (this.closed) throw new UnavailableError('The in-memory bus is closed', 'messaging.bus-closed');
    const consumer = toConsumer(contract, options);
    const group = this.groupFor(contract.type, options.group);
    group.attach(consumer);
    const subscription: Subscription = {
      close: async () => {
        this.subscriptions.delete(subscription);
        await group.detach(consumer);
        if (options.transient) this.forget(contract.type, group);
      },
    };
    this.subscriptions.add(subscription);
    return subscription;
  }

  async start(): Promise<void> {
    // Nothing to connect to: subscriptions consume from the moment they are made.
  }

  /** Closes every subscription, awaiting in-flight handlers, and drops pending redeliveries. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.subscriptions].map((s) => s.close()));
    // After the handlers settled, so a retry scheduled by the last of them is dropped too.
    for (const group of this.allGroups()) group.cancelRedeliveries();
    this.notify();
  }

  /** Messages that will not be delivered again, oldest first. */
  deadLetters(): readonly DeadLetter[] {
    return [...this.dead];
  }

  /** Resolves when no message is being handled, waiting for a consumer, or scheduled for redelivery. */
  idle(): Promise<void> {
    return this.waitUntil(() => this.allGroups().every((g) => g.active() === 0 && g.scheduled() === 0));
  }

  /** Like {@link idle}, but redelivers scheduled retries immediately instead of waiting for their delay. */
  async drain(): Promise<void> {
    for (;;) {
      for (const group of this.allGroups()) group.redeliverNow();
      await this.waitUntil(() => this.allGroups().every((g) => g.active() === 0));
      if (this.allGroups().every((g) => g.scheduled() === 0)) return;
    }
  }

  private groupFor(type: string, name: string): ConsumerGroup {
    let byName = this.groups.get(type);
    if (!byName) {
      byName = new Map();
      this.groups.set(type, byName);
    }
    let group = byName.get(name);
    if (!group) {
      group = new ConsumerGroup(name, this.host);
      byName.set(name, group);
    }
    return group;
  }

  /** Drops a per-instance group once its last consumer left: nobody will ever read what it would keep. */
  private forget(type: string, group: ConsumerGroup): void {
    if (group.attached > 0) return;
    group.cancelRedeliveries();
    const byName = this.groups.get(type);
    if (byName?.get(group.name) === group) byName.delete(group.name);
    this.notify();
  }

  private allGroups(): ConsumerGroup[] {
    return [...this.groups.values()].flatMap((byName) => [...byName.values()]);
  }

  private waitUntil(done: () => boolean): Promise<void> {
    if (done()) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ done, resolve }));
  }

  private notify(): void {
    const ready = this.waiters.filter((w) => w.done());
    this.waiters = this.waiters.filter((w) => !ready.includes(w));
    for (const waiter of ready) waiter.resolve();
  }
}

function toConsumer<T>(contract: MessageContract<T>, options: SubscribeOptions<T>): GroupConsumer {
  return {
    contract: contract as MessageContract<unknown>,
    handler: options.handler as MessageHandler<unknown>,
    ...retrySettings(contract, options),
    busy: false,
    current: Promise.resolve(),
  };
}
