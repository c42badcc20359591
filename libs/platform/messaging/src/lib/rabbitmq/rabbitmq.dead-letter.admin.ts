import { randomUUID } from 'node:crypto';
import { type Channel, type ChannelModel, type ConfirmChannel, connect, type GetMessage } from 'amqplib';
import type { DeadLetterAdmin, DeadLetterQueueInfo } from '../dead-letters';
import type { DeadLetter } from '../subscriber';
import { sleep, withTimeout } from './call-timeout';
import { publishConfirmed } from './confirmed.publish';
import { redactUrl } from './rabbitmq-bus.options';
import { decodeDeadLetter, envelopeOf } from './rabbitmq-dead-letter.codec';
import { trackReturns } from './rabbitmq.session';
import { groupQueues } from './rabbitmq.topology';
import { movedMessageOptions } from './rabbitmq.wire';

/**
 * Most messages one `list` reads. It reads the whole DLQ (up to this) and sorts by dead-letter time, because
 * a quorum queue does not keep the order of messages returned to it: after a partial read, the returned
 * ones go behind those never read.
 */
const MAX_LIST_SCAN = 10_000;

/** Marks the copies one `replay` sends back, so it stops when they fail again and come back to the DLQ. */
const REPLAY_HEADER = 'x-nestkit-replay';

/** Options of {@link RabbitMqDeadLetterAdmin}. */
export interface RabbitMqDeadLetterAdminOptions {
  /** AMQP URL of the broker, as for the bus. */
  readonly url: string;
  /**
   * The consumer groups whose `<group>.dlq` queues `queues()` reports: a list (e.g. from each service's
   * config), or a function such as `() => bus.groups()`. AMQP cannot list queues, and the management
   * plugin may be off, so groups are named rather than discovered. `list` and `replay` take any group.
   */
  readonly groups: readonly string[] | (() => readonly string[]);
  /** The bus's `queuePrefix`, if it has one. */
  readonly queuePrefix?: string;
  /** Name of the admin's connection in RabbitMQ's tools. Default `nestkit-dlq-admin`. */
  readonly connectionName?: string;
  /** Budget of connecting and of every broker call. Default 5 s. */
  readonly timeoutMs?: number;
}

/**
 * {@link DeadLetterAdmin} over the `<group>.dlq` quorum queues of {@link RabbitMqBus}, with plain AMQP (no
 * management plugin). `list` reads the DLQ unacknowledged on a private channel, then closes it so that the
 * broker puts every message back, and waits until it has; meanwhile other readers of that DLQ do not see
 * them. `replay` publishes each one to its group's queue without the retry and dead-letter headers (a
 * fresh delivery count), waits for the confirm, then acknowledges it in the DLQ.
 */
export class RabbitMqDeadLetterAdmin implements DeadLetterAdmin {
  private model: ChannelModel | undefined;
  private readonly timeoutMs: number;

  constructor(private readonly options: RabbitMqDeadLetterAdminOptions) {
    this.timeoutMs = options.timeoutMs ?? 5_000;
  }

  async queues(): Promise<readonly DeadLetterQueueInfo[]> {
    const groups = typeof this.options.groups === 'function' ? this.options.groups() : this.options.groups;
    const found: DeadLetterQueueInfo[] = [];
    for (const group of [...new Set(groups)].sort()) {
      const location = this.queuesOf(group).deadLetters;
      const reply = await this.withChannel(false, (channel) => this.call(channel.checkQueue(location), `checking ${location}`)).catch(ifMissing(undefined));
      if (reply) found.push({ group, location, count: reply.messageCount });
    }
    return found;
  }

  async list(group: string, limit = 100): Promise<readonly DeadLetter[]> {
    const location = this.queuesOf(group).deadLetters;
    let behind = 0;
    const letters = await this.withChannel(false, async (channel) => {
      const read: DeadLetter[] = [];
      while (read.length < MAX_LIST_SCAN) {
        const message = await this.get(channel, location);
        if (!message) break;
        read.push(decodeDeadLetter(message, group));
        behind = message.fields.messageCount;
      }
      // Closing the channel returns them all, unacknowledged, to the queue.
      return read;
    }).catch(ifMissing([]));
    if (letters.length > 0) await this.untilReturned(location, letters.length + behind);
    // Array.prototype.sort is stable: letters without a time (dead-lettered by the broker) keep queue order.
    return letters.sort((a, b) => a.deadLetteredAt.localeCompare(b.deadLetteredAt)).slice(0, limit);
  }

  async replay(group: string, options: { ids?: readonly string[] } = {}): Promise<number> {
    const queues = this.queuesOf(group);
    const run = randomUUID();
    const ids = options.ids ? new Set(options.ids) : undefined;
    let held = 0;
    let behind = 0;
    const replayed = await this.withChannel(true, async (channel) => {
      const target = { publishing: channel, returns: new Map<string, number>() };
      trackReturns(channel, target.returns);
      let count = 0;
      for (;;) {
        const message = await this.get(channel, queues.deadLetters);
        if (!message) break;
        behind = message.fields.messageCount;
        const sentByThisRun = message.properties.headers?.[REPLAY_HEADER] === run;
        // Held messages stay unacknowledged, and return to the queue when the channel closes.
        if (sentByThisRun || (ids && !ids.has(envelopeOf(message).id))) {
          held += 1;
          if (sentByThisRun) break;
          continue;
        }
        const copy = { exchange: '', routingKey: queues.main, content: message.content, options: movedMessageOptions(message, { [REPLAY_HEADER]: run }) };
        await publishConfirmed(target, [copy], this.timeoutMs, redactUrl(this.options.url));
        channel.ack(message);
        count += 1;
      }
      return count;
    }).catch(ifMissing(0));
    if (held > 0) await this.untilReturned(queues.deadLetters, held + behind);
    return replayed;
  }

  async close(): Promise<void> {
    const model = this.model;
    this.model = undefined;
    if (model) await this.call(model.close(), 'closing the connection').catch(() => undefined);
  }

  /**
   * Waits (at most the call timeout) until the queue counts `expected` ready messages again: the broker puts
   * back the messages of a closed channel asynchronously, and a read before that would miss them.
   */
  private async untilReturned(queue: string, expected: number): Promise<void> {
    const deadline = Date.now() + this.timeoutMs;
    await this.withChannel(false, async (channel) => {
      while ((await this.call(channel.checkQueue(queue), `checking ${queue}`)).messageCount < expected && Date.now() < deadline) await sleep(5);
    });
  }

  private queuesOf(group: string) {
    return groupQueues(this.options.queuePrefix ?? '', group);
  }

  private get(channel: Channel, queue: string): Promise<GetMessage | false> {
    return this.call(channel.get(queue, { noAck: false }), `reading ${queue}`);
  }

  private async withChannel<T>(confirm: false, use: (channel: Channel) => Promise<T>): Promise<T>;
  private async withChannel<T>(confirm: true, use: (channel: ConfirmChannel) => Promise<T>): Promise<T>;
  private async withChannel<T>(confirm: boolean, use: (channel: ConfirmChannel) => Promise<T>): Promise<T> {
    const model = await this.connection();
    const opened = confirm ? model.createConfirmChannel() : (model.createChannel() as Promise<ConfirmChannel>);
    const channel = await this.call(opened, 'opening a channel');
    channel.on('error', () => undefined);
    try {
      return await use(channel);
    } finally {
      await this.call(channel.close(), 'closing a channel').catch(() => undefined);
    }
  }

  private async connection(): Promise<ChannelModel> {
    if (this.model) return this.model;
    const clientProperties = { connection_name: this.options.connectionName ?? 'nestkit-dlq-admin' };
    const model = await this.call(connect(this.options.url, { timeout: this.timeoutMs, clientProperties }), `connecting to ${redactUrl(this.options.url)}`, (late) => {
      void late.close().catch(() => undefined);
    });
    model.on('error', () => undefined);
    model.on('close', () => {
      if (this.model === model) this.model = undefined;
    });
    this.model = model;
    return model;
  }

  private call<T>(promise: Promise<T>, what: string, onLate?: (value: T) => void): Promise<T> {
    return withTimeout(promise, this.timeoutMs, `RabbitMQ dead-letter admin: ${what}`, onLate);
  }
}

/** Treats "no such queue" (a group that never dead-lettered anything) as `value`; rethrows anything else. */
function ifMissing<T>(value: T): (error: unknown) => T {
  return (error) => {
    if ((error as { code?: unknown }).code === 404) return value;
    throw error;
  };
}
