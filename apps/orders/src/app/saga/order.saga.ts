import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { StockRejected, type StockRejectedPayload, StockReserved, type StockReservedPayload } from '@nestkit/contracts/catalog';
import { OrderConfirmed, OrderRejected } from '@nestkit/contracts/orders';
import { causedBy, createEnvelope, type Envelope, Inbox, MESSAGING_OPTIONS, type MessagingModuleOptions, Outbox, SUBSCRIBER, type Subscriber, type Subscription } from '@nestkit/messaging';
import { DataSource, type EntityManager } from 'typeorm';
import { OrderEntity } from '../orders/order.entity';

const CONSUMER = 'orders.order-saga';

/**
 * The orders side of the place-order saga: catalog's `stock-reserved` confirms a PENDING order and
 * `stock-rejected` rejects it with catalog's reason. Each answer is applied once (inbox), and the
 * resulting `order-confirmed` / `order-rejected` event commits with the status change (outbox).
 */
@Injectable()
export class OrderSaga implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(OrderSaga.name);
  private readonly subscriptions: Subscription[] = [];

  constructor(
    private readonly dataSource: DataSource,
    @Inject(SUBSCRIBER) private readonly subscriber: Subscriber,
    @Inject(MESSAGING_OPTIONS) private readonly messaging: MessagingModuleOptions,
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
    await Inbox.handleOnce(this.dataSource, CONSUMER, envelope, async (manager) => {
      const order = await this.pendingOrder(manager, payload.orderId);
      if (!order) return;
      await manager.update(OrderEntity, { id: order.id }, { status: 'CONFIRMED', updatedAt: new Date() });
      await Outbox.enqueue(manager, createEnvelope(OrderConfirmed, { orderId: order.id, userId: order.userId }, this.reply(envelope, order.id)));
    });
  }

  private async reject(payload: StockRejectedPayload, envelope: Envelope<StockRejectedPayload>): Promise<void> {
    await Inbox.handleOnce(this.dataSource, CONSUMER, envelope, async (manager) => {
      const order = await this.pendingOrder(manager, payload.orderId);
      if (!order) return;
      await manager.update(OrderEntity, { id: order.id }, { status: 'REJECTED', reason: payload.reason, updatedAt: new Date() });
      await Outbox.enqueue(
        manager,
        createEnvelope(OrderRejected, { orderId: order.id, userId: order.userId, reason: payload.reason }, this.reply(envelope, order.id)),
      );
    });
  }

  /** The order if it is still PENDING; answers for unknown or already settled orders are logged and dropped. */
  private async pendingOrder(manager: EntityManager, orderId: string): Promise<OrderEntity | undefined> {
    const order = await manager.findOneBy(OrderEntity, { id: orderId });
    if (!order) {
      this.logger.warn({ orderId }, 'stock answer for an unknown order ignored');
      return undefined;
    }
    if (order.status !== 'PENDING') {
      this.logger.warn({ orderId, status: order.status }, 'stock answer for a settled order ignored');
      return undefined;
    }
    return order;
  }

  private reply(cause: Envelope, orderId: string) {
    return { producer: this.messaging.service, key: orderId, ...causedBy(cause) };
  }
}
