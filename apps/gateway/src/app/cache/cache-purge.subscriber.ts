import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { CONFIG } from '@nestkit/config';
import { productChangeTags, type StockItem, StockReleased, StockReserved } from '@nestkit/contracts/catalog';
import { type Envelope, SUBSCRIBER, type Subscriber, type Subscription } from '@nestkit/messaging';
import type { GatewayConfig } from '../gateway.config';
import { GatewayProxy } from '../proxy/gateway-proxy';

/** Redeliveries of an event whose purge failed (store down): soon, since the stale entry is served meanwhile. */
const RETRY_DELAYS_MS: readonly number[] = [100, 500, 2_000];
/** The first delivery and three retries, then the event is dead-lettered and the entry lives out its TTL. */
const MAX_DELIVERIES = 4;

/** What the purge subscriber did since it started. */
export interface CachePurgeStats {
  /** Purges that ran (one per event, plus each delayed second purge). */
  readonly purges: number;
  /** Purges that failed; an event's failure is redelivered, a second purge's is not. */
  readonly failures: number;
}

/**
 * Keeps the response cache in step with catalog: on `catalog.stock-reserved` and `catalog.stock-released`
 * it purges the changed products' entries and the full product list (`productChangeTags`). Each gateway
 * consumes in a transient group of its own, so every instance purges its cache; an event is acknowledged only
 * once its purge ran, and a failed one is logged, counted and redelivered. Purging is idempotent, so a
 * redelivered or duplicated event only costs a cache miss.
 *
 * An upstream read that began before the change can store the old answer after the purge; a second purge of
 * the same tags one upstream deadline (`UPSTREAM_TIMEOUT_MS`) later, when every such read has ended, drops it.
 */
@Injectable()
export class CachePurgeSubscriber implements OnModuleInit, OnModuleDestroy {
  /** This instance's consumer group, unique to it (`gateway.cache-purge.<uuid>`). */
  readonly group = `gateway.cache-purge.${randomUUID()}`;
  private readonly logger = new Logger(CachePurgeSubscriber.name);
  private readonly subscriptions: Subscription[] = [];
  private readonly repurges = new Set<NodeJS.Timeout>();
  private readonly repurgeAfterMs: number;
  private counts = { purges: 0, failures: 0 };

  constructor(
    @Inject(SUBSCRIBER) private readonly subscriber: Subscriber,
    @Inject(GatewayProxy) private readonly proxy: Pick<GatewayProxy, 'cache'>,
    @Inject(CONFIG) config: Pick<GatewayConfig, 'UPSTREAM_TIMEOUT_MS'>,
  ) {
    this.repurgeAfterMs = config.UPSTREAM_TIMEOUT_MS;
  }

  /** Counts since start, for health pages and tests. */
  get stats(): CachePurgeStats {
    return { ...this.counts };
  }

  onModuleInit(): void {
    const options = { group: this.group, transient: true, maxDeliveries: MAX_DELIVERIES, retryDelaysMs: RETRY_DELAYS_MS };
    this.subscriptions.push(
      this.subscriber.subscribe(StockReserved, { ...options, handler: (payload, envelope) => this.stockChanged(payload.items, envelope) }),
      this.subscriber.subscribe(StockReleased, { ...options, handler: (payload, envelope) => this.stockChanged(payload.items, envelope) }),
    );
  }

  async onModuleDestroy(): Promise<void> {
    for (const timer of this.repurges) clearTimeout(timer);
    this.repurges.clear();
    await Promise.all(this.subscriptions.map((subscription) => subscription.close()));
  }

  private async stockChanged(items: readonly StockItem[], envelope: Envelope): Promise<void> {
    const tags = productChangeTags(items.map((item) => item.productId));
    // Rejecting makes the bus redeliver the event: it is acknowledged only after this purge ran.
    await this.purge(tags, envelope, 'the event is redelivered');
    this.repurgeLater(tags, envelope);
  }

  private async purge(tags: readonly string[], envelope: Envelope, then: string): Promise<void> {
    try {
      const removed = await this.proxy.cache.purge(tags);
      this.counts.purges += 1;
      this.logger.debug({ eventId: envelope.id, type: envelope.type, tags, removed }, 'response cache purged');
    } catch (error) {
      this.counts.failures += 1;
      const context = { err: error, eventId: envelope.id, type: envelope.type, tags, failures: this.counts.failures };
      this.logger.warn(context, `response cache purge failed; ${then}`);
      throw error;
    }
  }

  private repurgeLater(tags: readonly string[], envelope: Envelope): void {
    const timer = setTimeout(() => {
      this.repurges.delete(timer);
      // Already logged and counted; the event was acknowledged, so the entry lives out its TTL at worst.
      this.purge(tags, envelope, 'a read that overlapped the change may be served until its entry expires').catch(() => undefined);
    }, this.repurgeAfterMs);
    timer.unref();
    this.repurges.add(timer);
  }
}
