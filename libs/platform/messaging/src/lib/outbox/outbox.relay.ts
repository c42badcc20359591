import { inTransaction } from '@nestkit/database';
import { platformMetrics } from '@nestkit/metrics';
import { inSpan, linkTo, SpanKind } from '@nestkit/tracing';
import type { Link } from '@opentelemetry/api';
import { type DataSource, In, IsNull } from 'typeorm';
import { type Envelope, traceCarrierOf } from '../envelope/envelope';
import { Poller } from '../poller';
import type { Publisher } from '../publisher';
import { OutboxMessage } from './outbox-message.entity';

/** Tuning for the {@link OutboxRelay}. */
export interface OutboxRelayOptions {
  /** Pause between passes, in milliseconds. Default 200. */
  intervalMs?: number;
  /** Rows published per batch. Default 100. */
  batchSize?: number;
  /** Called with every failed pass or publish (for logging); the relay keeps going. */
  onError?: (error: unknown) => void;
}

const relays = new Set<OutboxRelay>();
let gaugesRegistered = false;

/**
 * `nestkit_outbox_backlog` (rows not published yet) and `nestkit_outbox_oldest_age_seconds` (how long the
 * oldest of them has waited), read from the database of every running relay at scrape time: a growing
 * backlog or age means the broker refuses or the relay is stuck.
 */
function registerOutboxGauges(): void {
  if (gaugesRegistered) return;
  gaugesRegistered = true;
  platformMetrics.gauge({
    name: 'nestkit_outbox_backlog',
    help: 'Outbox rows written and not yet published.',
    async collect() {
      let total = 0;
      for (const relay of relays) total += (await relay.backlog()).rows;
      this.set(total);
    },
  });
  platformMetrics.gauge({
    name: 'nestkit_outbox_oldest_age_seconds',
    help: 'Seconds the oldest unpublished outbox row has waited (0: none waiting).',
    async collect() {
      let oldest = 0;
      for (const relay of relays) oldest = Math.max(oldest, (await relay.backlog()).oldestAgeSeconds);
      this.set(oldest);
    },
  });
}

/**
 * Publishes unpublished outbox rows in the order they were written, marks them published only after the
 * publisher confirmed them, and records failures on the rows so they are retried on the next pass.
 * Delivery is at-least-once: a crash between publish and mark republishes, and consumers dedupe (Inbox).
 */
export class OutboxRelay {
  private readonly batchSize: number;
  private readonly poller: Poller<number>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly publisher: Publisher,
    private readonly options: OutboxRelayOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 100;
    this.poller = new Poller({
      pass: () => this.pass(),
      intervalMs: options.intervalMs ?? 200,
      onError: (error) => this.options.onError?.(error),
    });
  }

  /** Starts polling: a first pass right away, then one `intervalMs` after each pass ends. */
  start(): void {
    registerOutboxGauges();
    relays.add(this);
    this.poller.start();
  }

  /** Stops polling and waits for the pass in progress, so no publish is cut in half. */
  stop(): Promise<void> {
    relays.delete(this);
    return this.poller.stop();
  }

  /** Unpublished rows and the age of the oldest, now. */
  async backlog(): Promise<{ rows: number; oldestAgeSeconds: number }> {
    const where = { publishedAt: IsNull() };
    const [rows, oldest] = await Promise.all([
      this.dataSource.manager.count(OutboxMessage, { where }),
      this.dataSource.manager.findOne(OutboxMessage, { where, order: { createdAt: 'ASC' }, select: { id: true, createdAt: true } }),
    ]);
    return { rows, oldestAgeSeconds: oldest ? Math.max(0, (Date.now() - oldest.createdAt.getTime()) / 1000) : 0 };
  }

  /** Runs one pass now (after any pass in progress) and resolves with the number of envelopes published. */
  flush(): Promise<number> {
    return this.poller.flush();
  }

  private async pass(): Promise<number> {
    let published = 0;
    for (;;) {
      // Through inTransaction so that, on SQLite's single shared connection, the read never sees rows of
      // a business transaction that has not committed yet (and might still roll back).
      const rows = await inTransaction(this.dataSource, (manager) =>
        manager.find(OutboxMessage, { where: { publishedAt: IsNull() }, order: { createdAt: 'ASC', id: 'ASC' }, take: this.batchSize }),
      );
      if (rows.length === 0 || !(await this.publishBatch(rows))) return published;
      published += rows.length;
      if (rows.length < this.batchSize) return published;
    }
  }

  /**
   * One batch in its own span (`outbox relay`, a root: the relay runs on a timer, not for a request),
   * linked to the context each envelope was written in; the publish is its child.
   */
  private publishBatch(rows: OutboxMessage[]): Promise<boolean> {
    const envelopes = rows.map((row) => JSON.parse(row.envelope) as Envelope);
    const links = envelopes.map((envelope) => linkTo(traceCarrierOf(envelope), { 'messaging.message.id': envelope.id })).filter((link): link is Link => link !== undefined);
    return inSpan('outbox relay', { kind: SpanKind.INTERNAL, links, attributes: { 'messaging.batch.message_count': rows.length } }, () => this.sendBatch(rows, envelopes));
  }

  private async sendBatch(rows: OutboxMessage[], envelopes: Envelope[]): Promise<boolean> {
    const ids = rows.map((row) => row.id);
    try {
      await this.publisher.publish(envelopes);
    } catch (error) {
      this.options.onError?.(error);
      await inTransaction(this.dataSource, (manager) =>
        manager
          .createQueryBuilder()
          .update(OutboxMessage)
          .set({ attempts: () => 'attempts + 1', lastError: error instanceof Error ? error.message : String(error) })
          .where({ id: In(ids) })
          .execute(),
      );
      return false;
    }
    await inTransaction(this.dataSource, (manager) => manager.update(OutboxMessage, { id: In(ids) }, { publishedAt: new Date() }));
    return true;
  }
}
