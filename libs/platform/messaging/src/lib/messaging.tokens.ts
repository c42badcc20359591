/** Injection token of the service's {@link Publisher}. Inject with `@Inject(PUBLISHER)`. */
export const PUBLISHER = Symbol.for('nestkit.messaging.publisher');

/** Injection token of the service's {@link Subscriber}. Inject with `@Inject(SUBSCRIBER)`. */
export const SUBSCRIBER = Symbol.for('nestkit.messaging.subscriber');

/** Injection token of the {@link MessagingModuleOptions} the module was configured with. */
export const MESSAGING_OPTIONS = Symbol.for('nestkit.messaging.options');

/** The values `BUS` may take. RabbitMQ and Kafka join this list when their backends land. */
export const MESSAGING_BACKENDS = ['memory'] as const;

/** A supported bus backend. */
export type MessagingBackend = (typeof MESSAGING_BACKENDS)[number];

/** Options of `MessagingModule.forRoot`. */
export interface MessagingModuleOptions {
  /** This service's name; use it as the `producer` of the envelopes it creates. */
  service: string;
  /** Backend from the `BUS` config key; default `memory`. Typed loosely because it comes from the environment. */
  backend?: string;
}
