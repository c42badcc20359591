import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit, Optional } from '@nestjs/common';
import { MESSAGE_IDENTITY_VERIFIER, type MessageIdentityVerifier } from '@nestkit/auth';
import { StockRejected, type StockRejectedPayload, StockReserved, type StockReservedPayload } from '@nestkit/contracts/catalog';
import { OrderConfirmed, OrderRejected } from '@nestkit/contracts/orders';
import {
  causedBy,
  createEnvelope,
  type Envelope,
  Inbox,
  MESSAGING_OPTIONS,
  type MessagingModuleOptions,
  Outbox,
  refusedUnless,
  SUBSCRIBER,
  type Subscriber,
  type Subscription,
} from '@nestkit/messaging';
import { DataSource, type EntityManager } from 'typeorm';
import { sagaOutcomes } from './saga.metrics';
import { OrderEntity } from '../orders/order.entity';

const CONSUMER = 'orders.order-saga';

/** Where catalog's answer takes a PENDING order. */
type Settlement = { status: 'CONFIRMED' } | { status: 'REJECTED'; reason: string };

/**
 * The orders side of the place-order saga: catalog's `stock-reserved` confirms a PENDING order and
 * `stock-rejected` rejects it with catalog's reason. Each answer is applied once (inbox), and the
 * resulting `order-confirmed` / `order-rejected` event commits with the status change (outbox). An
 * order catalog does not answer in time is cancelled by the {@link SagaTimeoutSweeper}. With
 * AUTH_VERIFY_MESSAGE_IDENTITY on (the default), only answers signed by catalog are applied.
 */
@Injectable()
export class OrderSaga implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(OrderSaga.name);
  private readonly subscriptions: Subscription[] = [];

  constructor(
    private readonly dataSource: DataSource,
    @Inject(SUBSCRIBER) private readonly subscriber: Subscriber,
    @Inject(MESSAGING_OPTIONS) private readonly messaging: MessagingModuleOptions,
    @Optional() @Inject(MESSAGE_IDENTITY_VERIFIER) private readonly identities?: MessageIdentityVerifier | null,
  ) {}

  onModuleInit(): void {
    this.subscriptions.push(
      this.subscriber.subscribe(StockReserved, { group: CONSUMER, handler: (payload, envelope) => this.confirm(payload, envelope) }),
      this.subscriber.subscribe(StockRejected, { group: CONSUMER, handler: (payload, envelope) => this.reject(payload, envelope) }),
    );
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.all(this.subscriptions.map((s) => s.close()));
  }

  private async confirm(payload: StockReservedPayload, envelope: Envelope<StockReservedPayload>): Promise<void> {
    await this.verifySender(envelope);
    await Inbox.handleOnce(this.dataSource, CONSUMER, envelope, async (manager) => {
      const order = await this.settle(manager, payload.orderId, { status: 'CONFIRMED' });
      if (!order) return;
      await Outbox.enqueue(manager, createEnvelope(OrderConfirmed, { orderId: order.id, userId: order.userId }, this.reply(envelope, order.id)));
    });
  }

  private async reject(payload: StockRejectedPayload, envelope: Envelope<StockRejectedPayload>): Promise<void> {
    await this.verifySender(envelope);
    await Inbox.handleOnce(this.dataSource, CONSUMER, envelope, async (manager) => {
      const order = await this.settle(manager, payload.orderId, { status: 'REJECTED', reason: payload.reason });
      if (!order) return;
      await Outbox.enqueue(
        manager,
        createEnvelope(OrderRejected, { orderId: order.id, userId: order.userId, reason: payload.reason }, this.reply(envelope, order.id)),
      );
    });
  }

  /**
   * Moves the order from PENDING to `outcome` and returns it; answers for unknown or already settled
   * orders (CANCELLED by the saga timeout included: catalog releases that stock on the cancel) are logged
   * and dropped. The update is conditional on PENDING so that this answer and a concurrent cancel by the
   * {@link SagaTimeoutSweeper} cannot both win: on PostgreSQL the later UPDATE waits for the earlier one
   * to commit, then matches no row.
   */
  private async settle(manager: EntityManager, orderId: string, outcome: Settlement): Promise<OrderEntity | undefined> {
    const order = await manager.findOneBy(OrderEntity, { id: orderId });
    if (!order) {
      this.logger.warn({ orderId }, 'stock answer for an unknown order ignored');
      return undefined;
    }
    const result = await manager.update(OrderEntity, { id: orderId, status: 'PENDING' }, { ...outcome, updatedAt: new Date() });
    if (result.affected !== 1) {
      if (order.status === 'CONFIRMED' || order.status === 'REJECTED') {
        this.logger.warn({ orderId, status: order.status }, 'stock answer for a settled order ignored');
      } else {
        // Expected after a saga timeout (read as PENDING here when the cancel was committing meanwhile).
        this.logger.log({ orderId }, 'stock answer for a cancelled order ignored; catalog releases its stock on the cancel');
      }
      return undefined;
    }
    this.logger.log({ orderId, status: outcome.status }, 'order settled');
    sagaOutcomes.inc({ saga: 'order', outcome: outcome.status.toLowerCase() });
    return order;
  }

  /** Refuses (for good: dead-lettered at once) an answer that catalog did not sign, so no one else can settle an order. */
  private async verifySender(envelope: Envelope): Promise<void> {
    const identities = this.identities;
    if (identities) await refusedUnless(`${envelope.type} ${envelope.id}`, () => identities.verify(envelope, { from: ['catalog'] }));
  }

  private reply(cause: Envelope, orderId: string) {
    return { producer: this.messaging.service, key: orderId, ...causedBy(cause) };
  }
}
