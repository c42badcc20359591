import { type DynamicModule, Inject, Injectable, Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { FanOutPublisher } from './fan-out.publisher';
import { embeddedBus } from './hub/embedded-bus';
import { MessagingReadiness } from './messaging.readiness';
import {
  BUS_BACKEND,
  type BusOptions,
  MESSAGING_OPTIONS,
  type MessagingModuleOptions,
  OUTBOX_PUBLISHER,
  PUBLISHER,
  STREAM_BACKEND,
  STREAM_PUBLISHER,
  STREAM_SUBSCRIBER,
  type StreamOptions,
  SUBSCRIBER,
} from './messaging.tokens';
import type { Publisher } from './publisher';
import { type MessageSigner, SigningPublisher } from './signing.publisher';
import type { Subscriber } from './subscriber';
import { type MessagingSystem, TracedBackend } from './traced.backend';

const BUS = BUS_BACKEND;
const STREAM = STREAM_BACKEND;
const TRACED_BUS = Symbol('nestkit.messaging.traced-bus');
const TRACED_STREAM = Symbol('nestkit.messaging.traced-stream');

type Backend = Publisher & Subscriber;

/** The bus for `options`: the embedded one, or a RabbitMQ connection (its driver loaded only then). */
async function createBus(service: string, options: BusOptions | undefined, namespace: string | undefined): Promise<Backend> {
  if (!options || options.backend === 'memory') return embeddedBus();
  const { RabbitMqBus } = await import('./rabbitmq/rabbitmq.bus');
  const { DEFAULT_RABBITMQ_EXCHANGE } = await import('./rabbitmq/rabbitmq-bus.options');
  const prefix = namespace ? `${namespace}.` : '';
  return new RabbitMqBus({ url: options.url, service, prefetch: options.prefetch, exchange: `${prefix}${DEFAULT_RABBITMQ_EXCHANGE}`, queuePrefix: prefix });
}

/** The stream for `options`: the bus itself, or Kafka (its drivers loaded only then). */
async function createStream(service: string, options: StreamOptions | undefined, bus: Backend, namespace: string | undefined): Promise<Backend> {
  if (!options || options.backend === 'memory') return bus;
  const { KafkaBus } = await import('./kafka/kafka.bus');
  return new KafkaBus({ brokers: options.brokers, service, client: options.client, partitions: options.partitions, topicPrefix: namespace ? `${namespace}.` : '' });
}

/** The backend's `messaging.system`, for its spans and metrics. */
function systemOf(options: { backend: string } | undefined, fallback: MessagingSystem): MessagingSystem {
  if (!options || options.backend === 'memory') return fallback;
  return options.backend === 'kafka' ? 'kafka' : 'rabbitmq';
}

/** What the outbox relay publishes through: every target, each batch signed first when there is a signer. */
function outboxPublisher(targets: Backend[], signer: MessageSigner | undefined): Publisher {
  const fanOut = new FanOutPublisher(targets);
  return signer ? new SigningPublisher(fanOut, signer) : fanOut;
}

/** Starts the bus and the stream at boot (after every handler subscribed) and closes broker connections last at shutdown. */
@Injectable()
class MessagingLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    @Inject(BUS) private readonly bus: Backend,
    @Inject(STREAM) private readonly stream: Backend,
  ) {}

  private backends(): Backend[] {
    return [...new Set([this.bus, this.stream])];
  }

  async onApplicationBootstrap(): Promise<void> {
    await Promise.all(this.backends().map((backend) => backend.start()));
  }

  async onApplicationShutdown(): Promise<void> {
    // The embedded bus belongs to the process (or the launcher), not to this app: leave it open.
    const embedded = embeddedBus();
    await Promise.all(this.backends().filter((backend) => backend !== embedded).map((backend) => backend.close()));
  }
}

/**
 * Provides the service's messaging ports: {@link PUBLISHER} / {@link SUBSCRIBER} on the bus (`BUS`:
 * embedded or RabbitMQ), {@link STREAM_PUBLISHER} / {@link STREAM_SUBSCRIBER} on the domain event stream
 * (`STREAM`: Kafka, or `memory` for none: stream consumers then read the bus) and {@link OUTBOX_PUBLISHER}, which the outbox relay uses to send every
 * event to both, signed by the `signer` option when there is one. The embedded bus is the process-wide {@link InMemoryBus}, or under `npm start` the one in
 * the launcher process that every service shares. Build the options with `messagingOptions(service, config)`.
 */
@Module({})
export class MessagingModule {
  static forRoot(options: MessagingModuleOptions): DynamicModule {
    return {
      module: MessagingModule,
      global: true,
      providers: [
        { provide: MESSAGING_OPTIONS, useValue: options },
        { provide: BUS, useFactory: () => createBus(options.service, options.bus, options.namespace) },
        { provide: STREAM, useFactory: (bus: Backend) => createStream(options.service, options.stream, bus, options.namespace), inject: [BUS] },
        // What the service sees: the backends with spans and metrics. The lifecycle holds the bare ones.
        { provide: TRACED_BUS, useFactory: (bus: Backend) => new TracedBackend(bus, systemOf(options.bus, 'in-memory')), inject: [BUS] },
        {
          provide: TRACED_STREAM,
          useFactory: (bus: Backend, stream: Backend, tracedBus: TracedBackend) => (stream === bus ? tracedBus : new TracedBackend(stream, systemOf(options.stream, 'in-memory'))),
          inject: [BUS, STREAM, TRACED_BUS],
        },
        { provide: PUBLISHER, useExisting: TRACED_BUS },
        { provide: SUBSCRIBER, useExisting: TRACED_BUS },
        { provide: STREAM_PUBLISHER, useExisting: TRACED_STREAM },
        { provide: STREAM_SUBSCRIBER, useExisting: TRACED_STREAM },
        {
          provide: OUTBOX_PUBLISHER,
          useFactory: (bus: TracedBackend, stream: TracedBackend) => outboxPublisher([...new Set([bus, stream])], options.signer),
          inject: [TRACED_BUS, TRACED_STREAM],
        },
        MessagingLifecycle,
        MessagingReadiness,
      ],
      exports: [MESSAGING_OPTIONS, PUBLISHER, SUBSCRIBER, STREAM_PUBLISHER, STREAM_SUBSCRIBER, OUTBOX_PUBLISHER, MessagingReadiness, BUS, STREAM],
    };
  }
}
