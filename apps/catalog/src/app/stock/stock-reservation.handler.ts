import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit, Optional } from '@nestjs/common';
import { MESSAGE_IDENTITY_VERIFIER, type MessageIdentityVerifier } from '@nestkit/auth';
import { StockRejected, StockReserved } from '@nestkit/contracts/catalog';
import { OrderPlaced, type OrderPlacedPayload } from '@nestkit/contracts/orders';
import { UnauthenticatedError } from '@nestkit/errors';
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
import { DataSource, type EntityManager, In } from 'typeorm';
import { ProductEntity } from '../products/product.entity';
import { stockDemand } from './stock-demand';
import { StockReservationEntity } from './stock-reservation.entity';

const CONSUMER = 'catalog.stock-reservation';
/** The only service that may place orders. */
const ORDERS = 'orders';

/** Catalog's answer to an order that orders cancelled before catalog saw it. */
export const CANCELLED_BEFORE_RESERVATION = 'order was cancelled';

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
 * them, in one transaction with the reservation record, the answer (`catalog.stock-reserved` or
 * `catalog.stock-rejected`) in the outbox and the message id in the inbox, so a redelivered order is never
 * reserved twice. An order orders already cancelled (a tombstone left by the StockReleaseHandler) is refused.
 * With AUTH_VERIFY_MESSAGE_IDENTITY on (the default), only an order-placed signed by orders for the order's
 * own user is reserved; one with a missing, forged or foreign identity is dead-lettered at once, never retried.
 */
@Injectable()
export class StockReservationHandler implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(StockReservationHandler.name);
  private subscription?: Subscription;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(SUBSCRIBER) private readonly subscriber: Subscriber,
    @Inject(MESSAGING_OPTIONS) private readonly messaging: MessagingModuleOptions,
    @Optional() @Inject(MESSAGE_IDENTITY_VERIFIER) private readonly identities?: MessageIdentityVerifier | null,
  ) {}

  onModuleInit(): void {
    this.subscription = this.subscriber.subscribe(OrderPlaced, { group: CONSUMER, handler: (payload, envelope) => this.handle(payload, envelope) });
  }

  async onModuleDestroy(): Promise<void> {
    await this.subscription?.close();
  }

  async handle(order: OrderPlacedPayload, envelope: Envelope<OrderPlacedPayload>): Promise<void> {
    await this.verifySender(order, envelope);
    await Inbox.handleOnce(this.dataSource, CONSUMER, envelope, async (manager) => {
      const options = { producer: this.messaging.service, key: order.orderId, ...causedBy(envelope) };
      const reject = async (reason: string) => {
        this.logger.log({ orderId: order.orderId, reason }, 'stock reservation rejected');
        await Outbox.enqueue(manager, createEnvelope(StockRejected, { orderId: order.orderId, reason, items: order.items }, options));
      };
      const earlier = await manager.findOneBy(StockReservationEntity, { orderId: order.orderId });
      if (earlier?.status === 'CANCELLED') return reject(CANCELLED_BEFORE_RESERVATION);
      if (earlier) {
        this.logger.warn({ orderId: order.orderId, status: earlier.status }, 'order-placed for an order already reserved ignored');
        return;
      }
      const wanted = stockDemand(order.items);
      const rows = await manager.find(ProductEntity, { where: { id: In([...wanted.keys()]) }, order: { id: 'ASC' }, lock: this.lock() });
      const reason = shortage(wanted, new Map(rows.map((p) => [p.id, p])));
      if (reason) return reject(reason);
      const now = new Date();
      // Fails on the primary key if a cancel for this order commits meanwhile; the retry then sees its tombstone.
      await manager.insert(StockReservationEntity, { orderId: order.orderId, items: order.items, status: 'RESERVED', createdAt: now, updatedAt: now });
      await this.reserve(manager, wanted);
      await Outbox.enqueue(manager, createEnvelope(StockReserved, { orderId: order.orderId, items: order.items }, options));
      this.logger.log({ orderId: order.orderId, items: order.items.length }, 'stock reserved');
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

  /** Refuses (for good: InvalidMessageError) an order-placed not signed by orders for the order's own user. */
  private async verifySender(order: OrderPlacedPayload, envelope: Envelope<OrderPlacedPayload>): Promise<void> {
    const identities = this.identities;
    if (!identities) return;
    // An identity outage (JWKS unreachable) is not the message's fault: it stays retryable.
    await refusedUnless(`${envelope.type} ${envelope.id}`, async () => {
      const principal = await identities.verify(envelope, { from: [ORDERS] });
      if (principal.subject !== order.userId) throw new UnauthenticatedError(`signed for user "${principal.subject}", but the order is user "${order.userId}"'s`);
    });
  }

  /** Row locks on PostgreSQL; SQLite serialises writers on the whole database instead. */
  private lock(): { mode: 'pessimistic_write' } | undefined {
    return this.dataSource.options.type === 'postgres' ? { mode: 'pessimistic_write' } : undefined;
  }
}
