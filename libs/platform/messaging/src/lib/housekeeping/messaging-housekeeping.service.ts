import { type BeforeApplicationShutdown, Inject, Injectable, Logger, type OnApplicationBootstrap, Optional } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { MESSAGING_OPTIONS, type MessagingModuleOptions } from '../messaging.tokens';
import { Poller } from '../poller';
import { MESSAGE_TABLE_RETENTION, pruneExpired, RETENTION_TASKS, type RetentionTask } from './retention.tasks';

const DEFAULT_RETENTION_MS = 7 * 24 * 3_600_000;
/** After boot, so a restart loop does not prune on every start; then hourly. */
const FIRST_RUN_MS = 60_000;
const EVERY_MS = 3_600_000;

/**
 * Keeps the outbox and inbox from growing for ever: an hour after another, deletes published outbox rows
 * and handled inbox ids older than `MESSAGING_RETENTION_HOURS` (default 7 days), a batch per transaction,
 * (whichever of the two the service's data source has) plus the rows of the service's own
 * {@link RETENTION_TASKS}. Add it to the providers of a service that has an outbox or an inbox. A failed run is logged and retried at the next.
 */
@Injectable()
export class MessagingHousekeeping implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(MessagingHousekeeping.name);
  private readonly retentionMs: number;
  private readonly tasks: readonly RetentionTask[];
  private readonly poller: Poller<Record<string, number>>;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(MESSAGING_OPTIONS) options: MessagingModuleOptions,
    @Optional() @Inject(RETENTION_TASKS) tasks?: readonly RetentionTask[] | null,
  ) {
    this.retentionMs = options.retentionMs ?? DEFAULT_RETENTION_MS;
    this.tasks = tasks ?? [];
    this.poller = new Poller({
      pass: () => this.pass(new Date()),
      firstDelayMs: FIRST_RUN_MS,
      intervalMs: EVERY_MS,
      onError: (error) => this.logger.warn({ err: error }, 'messaging housekeeping failed; old rows stay until the next run'),
    });
  }

  onApplicationBootstrap(): void {
    this.poller.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.poller.stop();
  }

  /** Deletes what is older than the retention as of `now` (after any run in flight); resolves with the rows deleted per table. */
  prune(now: Date = new Date()): Promise<Record<string, number>> {
    return this.poller.flush(() => this.pass(now));
  }

  private async pass(now: Date): Promise<Record<string, number>> {
    // A service with only an inbox (a pure consumer) has no outbox table, and the other way round.
    const messageTables = MESSAGE_TABLE_RETENTION.filter((task) => this.dataSource.hasMetadata(task.entity));
    const deleted = await pruneExpired(this.dataSource, [...messageTables, ...this.tasks], new Date(now.getTime() - this.retentionMs));
    if (Object.values(deleted).some((n) => n > 0)) this.logger.log({ deleted, retentionHours: this.retentionMs / 3_600_000 }, 'expired messaging rows deleted');
    return deleted;
  }
}
