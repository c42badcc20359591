import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { StockRejected, StockReserved } from '@nestkit/contracts/catalog';
import { OrderPlaced, type OrderPlacedPayload } from '@nestkit/contracts/orders';
import { causedBy, createEnvelope, type Envelope, Inbox, MESSAGING_OPTIONS, type MessagingModuleOptions, Outbox, SUBSCRIBER, type Subscriber, type Subscription } from '@nestkit/messaging';
import { DataSource, type EntityManager, In } from 'typeorm';
import { ProductEntity } from '../products/product.entity';

const CONSUMER = 'catalog.stock-reservation';

/** Quantity per product: lines naming one product twice count together against its stock. */
function demand(order: OrderPlacedPayload): Map<string, number> {
  const totals = new Map<string, number>();
  for (const line of order.items) totals.set(line.productId, (totals.get(line.productId) ?? 0) + line.quantity);
  return totals;
}

/** Why the order cannot be reserved, or undefined when every line can be. */
function shortage(wanted: Map<string, number>, products: Map<string, ProductEntity>): string | undefined {
  for (const [productId, quantity] of wanted) {
    const product = products.get(productId);
    if (!product) return `product ${productId} does not exist`;
    if (product.stock < quantity) {
      return `insufficient stock for ${productId}: ${quantity} requested, ${product.stock} available`;
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
      const wanted = demand(order);
      const rows = await manager.find(ProductEntity, { where: { id: In([...wanted.keys()]) }, lock: this.lock() });
      const reason = shortage(wanted, new Map(rows.map((p) => [p.id, p])));
      const options = { producer: this.messaging.service, key: order.orderId, ...causedBy(envelope) };
      if (reason) {
        this.logger.log({ orderId: order.orderId, reason }, 'stock reservation rejected');
        await Outbox.enqueue(manager, createEnvelope(StockRejected, { orderId: order.orderId, reason, items: order.items }, options));
        return;
      }
      await this.reserve(manager, wanted);
      await Outbox.enqueue(manager, createEnvelope(StockReserved, { orderId: order.orderId, items: order.items }, options));
    });
  }

  private async reserve(manager: EntityManager, wanted: Map<string, number>): Promise<void> {
    for (const [productId, quantity] of wanted) {
      // The `stock >= quantity` guard makes the decrement safe even without the row lock (SQLite).
      const result = await manager
        .createQueryBuilder()
        .update(ProductEntity)
        .set({ stock: () => `stock - ${Number(quantity)}`, version: () => 'version + 1' })
        .where('id = :id AND stock >= :quantity', { id: productId, quantity })
        .execute();
      if (result.affected !== 1) throw new Error(`stock of ${productId} changed during reservation; will retry`);
    }
  }

  /** Row locks on PostgreSQL; SQLite serialises writers on the whole database instead. */
  private lock(): { mode: 'pessimistic_write' } | undefined {
    return this.dataSource.options.type === 'postgres' ? { mode: 'pessimistic_write' } : undefined;
  }
}
