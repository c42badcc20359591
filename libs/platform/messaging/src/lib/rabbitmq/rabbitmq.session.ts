import { type Channel, type ChannelModel, type ConfirmChannel, connect, type Message } from 'amqplib';
import { withTimeout } from './call-timeout';
import type { ResolvedRabbitMqBusOptions } from './rabbitmq-bus.options';

/**
 * One live AMQP connection with the two channels the bus uses: a confirm channel for publishing and a
 * channel for consuming. When any of the three closes, the whole session is over (`alive` turns false) and
 * the bus opens a new one: deliveries taken on a dead session are never acknowledged on its successor.
 */
export interface RabbitMqSession {
  readonly id: number;
  readonly model: ChannelModel;
  readonly publishing: ConfirmChannel;
  readonly consuming: Channel;
  /** Mandatory publishes the broker returned as unroutable, by {@link returnKey}, until their confirm arrives. */
  readonly returns: Map<string, number>;
  alive: boolean;
}

/** What a session reports to its owner. */
export interface SessionEvents {
  lost(session: RabbitMqSession, error: Error): void;
  blocked(reason: string): void;
  unblocked(): void;
}

/** Identifies a mandatory publish in the broker's `basic.return`, which precedes its confirm. */
export function returnKey(routingKey: string, messageId: string | undefined): string {
  return `${routingKey}\u0000${messageId ?? ''}`;
}

/** Counts the mandatory messages `channel` gets back as unroutable into `returns`, for `publishConfirmed`. */
export function trackReturns(channel: Channel, returns: Map<string, number>): void {
  channel.on('return', (message: Message) => {
    const key = returnKey(message.fields.routingKey, message.properties.messageId);
    returns.set(key, (returns.get(key) ?? 0) + 1);
  });
}

/** Connects and opens the session's channels, each step within its timeout; closes what it opened on failure. */
export async function openSession(id: number, options: ResolvedRabbitMqBusOptions, events: SessionEvents): Promise<RabbitMqSession> {
  const model = await withTimeout(
    connect(options.url, { timeout: options.connectTimeoutMs, clientProperties: { connection_name: options.connectionName } }),
    options.connectTimeoutMs,
    `connecting to RabbitMQ at ${options.safeUrl}`,
    (late) => void late.close().catch(() => undefined),
  );
  // Errors are always followed by 'close', which is where they are handled.
  model.on('error', () => undefined);
  try {
    const timeoutMs = options.operationTimeoutMs;
    const publishing = await withTimeout(model.createConfirmChannel(), timeoutMs, 'opening the publishing channel');
    const consuming = await withTimeout(model.createChannel(), timeoutMs, 'opening the consuming channel');
    // Per consumer (not per channel): each group gets its own budget of unacknowledged messages.
    await withTimeout(consuming.prefetch(options.prefetch, false), timeoutMs, 'setting prefetch');
    const session: RabbitMqSession = { id, model, publishing, consuming, returns: new Map(), alive: true };
    const lose = (error: Error) => {
      if (!session.alive) return;
      session.alive = false;
      events.lost(session, error);
    };
    model.on('close', (error?: Error) => lose(error ?? new Error('the connection was closed')));
    model.on('blocked', (reason: string) => events.blocked(reason));
    model.on('unblocked', () => events.unblocked());
    for (const [name, channel] of [['publishing', publishing], ['consuming', consuming]] as const) {
      channel.on('error', (error: Error) => lose(new Error(`the ${name} channel failed: ${error.message}`)));
      channel.on('close', () => lose(new Error(`the ${name} channel was closed`)));
    }
    trackReturns(publishing, session.returns);
    return session;
  } catch (error) {
    await model.close().catch(() => undefined);
    throw error;
  }
}

/**
 * Ends a session on purpose: marks it dead first, so its closing is not taken for a failure, then closes the
 * channels before the connection. A channel's close-ok follows everything sent on it, whereas closing only
 * the connection right after an ack can lose that ack (and redeliver a handled message).
 */
export async function closeSession(session: RabbitMqSession, timeoutMs: number): Promise<void> {
  session.alive = false;
  for (const channel of [session.consuming, session.publishing]) {
    await withTimeout(Promise.resolve().then(() => channel.close()), timeoutMs, 'closing a channel').catch(() => undefined);
  }
  await withTimeout(session.model.close(), timeoutMs, 'closing the RabbitMQ connection').catch(() => undefined);
}
