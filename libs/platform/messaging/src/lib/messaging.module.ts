import { ConfigError } from '@nestkit/config';
import { type DynamicModule, Inject, Injectable, Module, type OnApplicationBootstrap } from '@nestjs/common';
import { embeddedBus } from './hub/embedded-bus';
import { MESSAGING_BACKENDS, MESSAGING_OPTIONS, type MessagingBackend, type MessagingModuleOptions, PUBLISHER, SUBSCRIBER } from './messaging.tokens';
import type { Subscriber } from './subscriber';

const BUS = Symbol('nestkit.messaging.bus');

/** Waits, at boot, until the bus has registered every subscription the app's handlers made. */
@Injectable()
class SubscriberStarter implements OnApplicationBootstrap {
  constructor(@Inject(SUBSCRIBER) private readonly subscriber: Subscriber) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.subscriber.start();
  }
}

/**
 * Provides {@link PUBLISHER} and {@link SUBSCRIBER} for the backend named by `BUS`. With `memory` both are
 * the embedded bus: the process-wide {@link InMemoryBus}, or, under `npm start`, the one in the launcher
 * process that every service process shares.
 */
@Module({})
export class MessagingModule {
  static forRoot(options: MessagingModuleOptions): DynamicModule {
    const backend = checkedBackend(options);
    return {
      module: MessagingModule,
      global: true,
      providers: [
        { provide: MESSAGING_OPTIONS, useValue: { ...options, backend } },
        { provide: BUS, useFactory: () => embeddedBus() },
        { provide: PUBLISHER, useExisting: BUS },
        { provide: SUBSCRIBER, useExisting: BUS },
        SubscriberStarter,
      ],
      exports: [MESSAGING_OPTIONS, PUBLISHER, SUBSCRIBER],
    };
  }
}

function checkedBackend(options: MessagingModuleOptions): MessagingBackend {
  const backend = options.backend ?? 'memory';
  if ((MESSAGING_BACKENDS as readonly string[]).includes(backend)) return backend as MessagingBackend;
  throw new ConfigError(options.service, [
    { key: 'BUS', message: `unknown backend "${backend}"; allowed values: ${MESSAGING_BACKENDS.join(', ')}` },
  ]);
}
