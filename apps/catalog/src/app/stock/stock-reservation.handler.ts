import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { StockRejected, StockReserved } from '@nestkit/contracts/catalog';
import { OrderPlaced, type OrderPlacedPayload } from '@nestkit/contracts/orders';
import { causedBy, createEnvelope, type Envelope, Inbox, MESSAGING_OPTIONS, type MessagingModuleOptions, Outbox, SUBSCRIBER, type Subscriber, type Subscription } from '@nestkit/messaging';
import { DataSource, type EntityManager, In } from 'typeorm';
import { ProductEntity } from '../products/product.entity';

const CONSUMER = 'catalog.stock-reservation';

/** Why the lines cannot be reserved, or undefined when every line can be. */
function shortage(order: OrderPlacedPayload, products: Map<string, ProductEntity>): string | undefined {
  for (const line of order.items) {
    const product = products.get(line.productId);
    if (!product) return `product ${line.productId} does not exist`;
    if (product.stock < line.quantity) {
      return `insufficient stock for ${line.productId}: ${line.quantity} requested, ${product.stock} available`;
    }
  }
  return undefined;
}

/**
 * Catalog's side of the place-order saga: reserves every line of an `orders.order-placed` or none of
 * them, in one transaction with the answer (`catalog.stock-reserved` or `catalog.stock-rejected`) in the
 * outbox and the message id in the inbox, so a redelivered order is never reserved twice.
 */
@Injectable()
export class StockReservationHandler implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(StockReservationHandler.name);
  private subscription?: Subscription;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(SUBSCRIBER) private readonly subscriber: Subscriber,
    @Inject(MESSAGING_OPTIONS) private readonly messaging: MessagingModuleOptions,
  ) {}

  onModuleInit(): void {
    this.subscription = this.subscriber.subscribe(OrderPlaced, { group: CONSUMER, handler: (payload, envelope) => this.handle(payload, envelope) });
  }

  async onModuleDestroy(): Promise<void> {
    await this.subscription?.close();
  }

  async handle(order: OrderPlacedPayload, envelope: Envelope<OrderPlacedPayload>): Promise<void> {
    await Inbox.handleOnce(this.dataSource, CONSUMER, envelope, async (manager) => {
      const ids = order.items.map((line) => line.productId);
      const products = new Map((await manager.find(ProductEntity, { where: { id: In(ids) }, lock: this.lock() })).map((p) => [p.id, p]));
      const reason = shortage(order, products);
      const options = { producer: this.messaging.service, key: order.orderId, ...causedBy(envelope) };
      if (reason) {
        this.logger.log({ orderId: order.orderId, reason }, 'stock reservation rejected');
        await Outbox.enqueue(manager, createEnvelope(StockRejected, { orderId: order.orderId, reason, items: order.items }, options));
        return;
      }
      await this.reserve(manager, order);
      await Outbox.enqueue(manager, createEnvelope(StockReserved, { orderId: order.orderId, items: order.items }, options));
    });
  }

  private async reserve(manager: EntityManager, order: OrderPlacedPayload): Promise<void> {
    for (const line of order.items) {
      // The `stock >= quantity` guard makes the decrement safe even without the row lock (SQLite).
      const result = await manager
        .createQueryBuilder()
        .update(ProductEntity)
        .set({ stock: () => `stock - ${Number(line.quantity)}`, version: () => 'version + 1' })
        .where('id = :id AND stock >= :quantity', { id: line.productId, quantity: line.quantity })
        .execute();
      if (result.affected !== 1) throw new Error(`stock of ${line.productId} changed during reservation; will retry`);
    }
  }

  /** Row locks on PostgreSQL; SQLite serialises writers on the whole database instead. */
  private lock(): { mode: 'pessimistic_write' } | undefined {
    return this.dataSource.options.type === 'postgres' ? { mode: 'pessimistic_write' } : undefined;
  }
}
