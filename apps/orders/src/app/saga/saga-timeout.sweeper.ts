import { type BeforeApplicationShutdown, Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { CONFIG } from '@nestkit/config';
import { OrderCancelled } from '@nestkit/contracts/orders';
import { inTransaction } from '@nestkit/database';
import { createEnvelope, MESSAGING_OPTIONS, type MessagingModuleOptions, Outbox, Poller } from '@nestkit/messaging';
import { DataSource, LessThan } from 'typeorm';
import { OrderEntity } from '../orders/order.entity';
import { sagaOutcomes } from './saga.metrics';
import type { SagaConfig } from './saga.config';

/**
 * Ends the place-order saga for orders catalog did not answer in time: every `SAGA_SWEEP_MS` it finds
 * PENDING orders placed more than `SAGA_TIMEOUT_MS` ago and, per order in one transaction, moves it to
 * CANCELLED (only if still PENDING, so a concurrent answer from catalog wins cleanly) and enqueues
 * `orders.order-cancelled`, on which catalog gives back any stock it reserved for the order.
 *
 * Sweeping starts `SAGA_TIMEOUT_MS` after the app booted, so answers queued while the service was down
 * are consumed before their orders are judged late, and stops, finishing the pass in flight, at shutdown.
 */
@Injectable()
export class SagaTimeoutSweeper implements OnApplicationBootstrap, BeforeApplicationShutdown {
  /** Most orders one pass cancels; the next pass takes the rest, oldest first. */
  static readonly BATCH_SIZE = 100;

  private readonly logger = new Logger(SagaTimeoutSweeper.name);
  private readonly timeoutMs: number;
  private readonly poller: Poller<string[]>;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(CONFIG) config: SagaConfig,
    @Inject(MESSAGING_OPTIONS) private readonly messaging: MessagingModuleOptions,
  ) {
    if (!Number.isInteger(config.SAGA_TIMEOUT_MS) || !Number.isInteger(config.SAGA_SWEEP_MS)) {
      throw new Error('SAGA_TIMEOUT_MS and SAGA_SWEEP_MS are missing from the orders config; spread sagaConfigSchema.shape into its schema');
    }
    this.timeoutMs = config.SAGA_TIMEOUT_MS;
    this.poller = new Poller({
      pass: () => this.pass(new Date()),
      firstDelayMs: config.SAGA_TIMEOUT_MS,
      intervalMs: config.SAGA_SWEEP_MS,
      onError: (error) => this.logger.warn({ err: error }, 'saga timeout sweep failed; overdue orders stay PENDING until the next pass'),
    });
  }

  onApplicationBootstrap(): void {
    this.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  /** Starts sweeping: a first pass `SAGA_TIMEOUT_MS` from now, then one `SAGA_SWEEP_MS` after each pass ends. */
  start(): void {
    this.poller.start();
  }

  /** Stops sweeping and waits for the pass in progress, so no cancel is cut in half. */
  stop(): Promise<void> {
    return this.poller.stop();
  }

  /**
   * Runs one pass now (after any pass in progress): cancels up to {@link SagaTimeoutSweeper.BATCH_SIZE}
   * PENDING orders placed before `now - SAGA_TIMEOUT_MS`, oldest first, and resolves with their ids.
   */
  sweep(now: Date = new Date()): Promise<string[]> {
    return this.poller.flush(() => this.pass(now));
  }

  private async pass(now: Date): Promise<string[]> {
    const overdue = await this.dataSource.getRepository(OrderEntity).find({
      where: { status: 'PENDING', createdAt: LessThan(new Date(now.getTime() - this.timeoutMs)) },
      order: { createdAt: 'ASC', id: 'ASC' },
      take: SagaTimeoutSweeper.BATCH_SIZE,
    });
    const cancelled: string[] = [];
    for (const order of overdue) {
      if (!(await this.cancel(order))) continue;
      this.logger.log({ orderId: order.id, timeoutMs: this.timeoutMs }, 'order cancelled: catalog did not answer in time');
      sagaOutcomes.inc({ saga: 'order', outcome: 'cancelled' });
      cancelled.push(order.id);
    }
    return cancelled;
  }

  /** Cancels `order` if it is still PENDING; false when catalog's answer settled it first. */
  private cancel(order: OrderEntity): Promise<boolean> {
    const reason = `stock reservation timed out after ${this.timeoutMs} ms`;
    return inTransaction(this.dataSource, async (manager) => {
      const result = await manager.update(OrderEntity, { id: order.id, status: 'PENDING' }, { status: 'CANCELLED', reason, updatedAt: new Date() });
      if (result.affected !== 1) return false;
      const event = createEnvelope(
        OrderCancelled,
        { orderId: order.id, userId: order.userId, reason },
        { producer: this.messaging.service, key: order.id, ...(order.correlationId ? { correlationId: order.correlationId } : {}) },
      );
      await Outbox.enqueue(manager, event);
      return true;
    });
  }
}
