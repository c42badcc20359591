import { hostname } from 'node:os';
import type { ReconnectBackoffOptions } from '@nestkit/resilience';
import type { Envelope } from '../envelope/envelope';
import type { DeadLetter } from '../subscriber';

/** One thing worth logging that the RabbitMQ bus did or saw; `event` is stable, `message` is for people. */
export interface RabbitMqLogEntry {
  readonly level: 'info' | 'warn' | 'error';
  readonly event:
    | 'connected'
    | 'disconnected'
    | 'connect-failed'
    | 'blocked'
    | 'unblocked'
    | 'topology-failed'
    | 'settle-failed'
    | 'unhandled-type'
    | 'close-timeout';
  readonly message: string;
  readonly error?: unknown;
}

/** Options of {@link RabbitMqBus}; `url` and `service` are required, the rest have production defaults. */
export interface RabbitMqBusOptions {
  /** AMQP URL, e.g. `amqp://user:pass@rabbitmq:5672/vhost`; `?heartbeat=10` sets the heartbeat. */
  readonly url: string;
  /** This service's name; it names the connection (`<service>@<host>:<pid>`) in the broker's tools. */
  readonly service: string;
  /** The durable topic exchange every event goes through; routing key = envelope type. Default `nestkit.events`. */
  readonly exchange?: string;
  /** Put before every queue name (`<prefix><group>`), e.g. to share a vhost between environments. Default none. */
  readonly queuePrefix?: string;
  /**
   * Groups that belong to one instance (request replies): their queues are classic and expire a minute
   * after last use instead of being durable quorum queues. Default: `<service>.replies.<uuid>` groups.
   */
  readonly transientGroups?: (group: string) => boolean;
  /** Unacknowledged messages each consumer group may hold at once (= handlers running in parallel). Default 16. */
  readonly prefetch?: number;
  /** Budget of one connection attempt, and how long `start()` waits for the first one. Default 10 s. */
  readonly connectTimeoutMs?: number;
  /** Budget of `publish` from call to broker confirm, a reconnection included. Default 10 s. */
  readonly publishTimeoutMs?: number;
  /** Budget of every other broker call (declarations, consume, cancel, close). Default 5 s. */
  readonly operationTimeoutMs?: number;
  /** How long `close()` waits for running handlers before it closes the connection anyway. Default 30 s. */
  readonly closeTimeoutMs?: number;
  /** Delay between reconnection attempts: doubling from `initialMs` to `maxMs`, jittered. Default 200 ms to 10 s. */
  readonly reconnect?: Partial<ReconnectBackoffOptions>;
  /** Connection events and failures; defaults to a process warning for `warn` and `error` entries. */
  readonly log?: (entry: RabbitMqLogEntry) => void;
  /** Called when a handler rejects (before the message is retried or dead-lettered). */
  readonly onHandlerError?: (error: unknown, envelope: Envelope, group: string) => void;
  /** Called once a message is confirmed in its group's dead-letter queue. */
  readonly onDeadLetter?: (deadLetter: DeadLetter) => void;
}

/** {@link RabbitMqBusOptions} with every default filled in. */
export interface ResolvedRabbitMqBusOptions
  extends Required<Omit<RabbitMqBusOptions, 'reconnect' | 'onHandlerError' | 'onDeadLetter'>> {
  readonly reconnect: ReconnectBackoffOptions;
  readonly connectionName: string;
  /** The URL without its password, for messages and logs. */
  readonly safeUrl: string;
  readonly onHandlerError?: RabbitMqBusOptions['onHandlerError'];
  readonly onDeadLetter?: RabbitMqBusOptions['onDeadLetter'];
}

/** The default exchange name of {@link RabbitMqBus}. */
export const DEFAULT_RABBITMQ_EXCHANGE = 'nestkit.events';

/** Fills in the defaults; throws a TypeError or RangeError naming the option that is wrong. */
export function resolveRabbitMqBusOptions(options: RabbitMqBusOptions): ResolvedRabbitMqBusOptions {
  if (!/^amqps?:\/\//.test(options.url ?? '')) {
    throw new TypeError(`RabbitMqBus: url must be an amqp:// or amqps:// URL, got "${redactUrl(options.url ?? '')}"`);
  }
  if (!options.service?.trim()) throw new TypeError('RabbitMqBus: service must name this service, e.g. "orders"');
  const resolved: ResolvedRabbitMqBusOptions = {
    url: options.url,
    service: options.service,
    exchange: options.exchange ?? DEFAULT_RABBITMQ_EXCHANGE,
    queuePrefix: options.queuePrefix ?? '',
    transientGroups: options.transientGroups ?? isReplyGroup,
    prefetch: options.prefetch ?? 16,
    connectTimeoutMs: options.connectTimeoutMs ?? 10_000,
    publishTimeoutMs: options.publishTimeoutMs ?? 10_000,
    operationTimeoutMs: options.operationTimeoutMs ?? 5_000,
    closeTimeoutMs: options.closeTimeoutMs ?? 30_000,
    reconnect: { initialMs: options.reconnect?.initialMs ?? 200, maxMs: options.reconnect?.maxMs ?? 10_000 },
    log: options.log ?? warnOnProblems,
    onHandlerError: options.onHandlerError,
    onDeadLetter: options.onDeadLetter,
    connectionName: `${options.service}@${hostname()}:${process.pid}`,
    safeUrl: redactUrl(options.url),
  };
  if (resolved.exchange.trim() === '') throw new TypeError('RabbitMqBus: exchange must not be empty (the default exchange cannot route by type)');
  requireInteger('prefetch', resolved.prefetch, 1);
  for (const key of ['connectTimeoutMs', 'publishTimeoutMs', 'operationTimeoutMs', 'closeTimeoutMs'] as const) requireInteger(key, resolved[key], 1);
  requireInteger('reconnect.initialMs', resolved.reconnect.initialMs, 1);
  requireInteger('reconnect.maxMs', resolved.reconnect.maxMs, resolved.reconnect.initialMs);
  return resolved;
}

/** The URL with its password replaced by `***`, safe for logs and error messages. */
export function redactUrl(url: string): string {
  return url.replace(/^(amqps?:\/\/[^:/@]*:)[^@/]*@/, '$1***@');
}

/** The groups `MessagingClient` makes for its replies: `<service>.replies.<uuid>`. */
function isReplyGroup(group: string): boolean {
  return /\.replies\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(group);
}

function requireInteger(name: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min) throw new RangeError(`RabbitMqBus: ${name} must be an integer >= ${min}, got ${value}`);
}

function warnOnProblems(entry: RabbitMqLogEntry): void {
  if (entry.level !== 'info') process.emitWarning(entry.message, 'RabbitMqBus');
}
