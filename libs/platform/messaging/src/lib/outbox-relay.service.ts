import { type BeforeApplicationShutdown, Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { OUTBOX_PUBLISHER } from './messaging.tokens';
import { OutboxRelay } from './outbox/outbox.relay';
import type { Publisher } from './publisher';

/**
 * Runs the service's {@link OutboxRelay} for the life of the app: it starts once the app has booted
 * and stops, finishing the batch in flight, when shutdown begins. Rows written after that are published
 * at the next start; none is lost. Add it to the providers of a service that enqueues events.
 */
@Injectable()
export class OutboxRelayService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(OutboxRelayService.name);
  private readonly relay: OutboxRelay;

  constructor(dataSource: DataSource, @Inject(OUTBOX_PUBLISHER) publisher: Publisher) {
    this.relay = new OutboxRelay(dataSource, publisher, {
      onError: (error) => this.logger.warn({ err: error }, 'outbox relay pass failed; the rows stay queued and are retried'),
    });
  }

  onApplicationBootstrap(): void {
    this.relay.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.relay.stop();
  }

  /** Publishes what is queued now; for tests and tooling. */
  flush(): Promise<number> {
    return this.relay.flush();
  }
}
