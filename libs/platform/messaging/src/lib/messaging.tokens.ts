import type { KafkaClientName } from './kafka/kafka-bus.options';
import type { MessageSigner } from './signing.publisher';

/** Injection token of the service's bus {@link Publisher}. Inject with `@Inject(PUBLISHER)`. */
export const PUBLISHER = Symbol.for('nestkit.messaging.publisher');

/** Injection token of the service's bus {@link Subscriber}. Inject with `@Inject(SUBSCRIBER)`. */
export const SUBSCRIBER = Symbol.for('nestkit.messaging.subscriber');

/** Injection token of the domain event stream's {@link Publisher} (Kafka with STREAM=kafka). */
export const STREAM_PUBLISHER = Symbol.for('nestkit.messaging.stream-publisher');

/** Injection token of the domain event stream's {@link Subscriber}: consumers of the event stream use it. */
export const STREAM_SUBSCRIBER = Symbol.for('nestkit.messaging.stream-subscriber');

/**
 * Injection token of the publisher the outbox relay uses: every event goes to the bus and to the stream
 * (once, when both are the embedded bus).
 */
export const OUTBOX_PUBLISHER = Symbol.for('nestkit.messaging.outbox-publisher');

/** Injection token of the {@link MessagingModuleOptions} the module was configured with. */
export const MESSAGING_OPTIONS = Symbol.for('nestkit.messaging.options');

/** The values `BUS` may take. */
export const MESSAGING_BACKENDS = ['memory', 'rabbitmq'] as const;

/** A supported bus backend. */
export type MessagingBackend = (typeof MESSAGING_BACKENDS)[number];

/** The values `STREAM` may take. */
export const STREAM_BACKENDS = ['memory', 'kafka'] as const;

/** Where service-to-service messages go. */
export type BusOptions = { readonly backend: 'memory' } | { readonly backend: 'rabbitmq'; readonly url: string; readonly prefetch?: number };

/** Where the domain event stream goes; `memory` means no separate stream: it is the bus. */
export type StreamOptions =
  | { readonly backend: 'memory' }
  | { readonly backend: 'kafka'; readonly brokers: readonly string[]; readonly client?: KafkaClientName; readonly partitions?: number };

/** Options of `MessagingModule.forRoot`; `messagingOptions(service, config)` builds them from config. */
export interface MessagingModuleOptions {
  /** This service's name; use it as the `producer` of the envelopes it creates. */
  readonly service: string;
  /** Prefixes exchanges, queues, topics and groups on the brokers (`<namespace>.`); default none. */
  readonly namespace?: string;
  /** Default the embedded bus. */
  readonly bus?: BusOptions;
  /** Default none: the stream is the bus. */
  readonly stream?: StreamOptions;
  /**
   * Signs what the outbox relay sends (`@nestkit/auth`'s `MessageIdentityStamper`), so consumers can
   * verify who sent each message. Default none: messages go out as enqueued.
   */
  readonly signer?: MessageSigner;
  /** How long {@link MessagingHousekeeping} keeps published outbox rows and handled inbox ids; default 7 days. */
  readonly retentionMs?: number;
}

/** The bare bus and stream backends (module-internal: services use the ports above). */
export const BUS_BACKEND = Symbol('nestkit.messaging.bus');
export const STREAM_BACKEND = Symbol('nestkit.messaging.stream');
