import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit, Optional } from '@nestjs/common';
import { MESSAGE_IDENTITY_VERIFIER, type MessageIdentityVerifier } from '@nestkit/auth';
import { StockReleased } from '@nestkit/contracts/catalog';
import { OrderCancelled, type OrderCancelledPayload } from '@nestkit/contracts/orders';
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
import { ProductEntity } from '../products/product.entity';
import { stockDemand } from './stock-demand';
import { StockReservationEntity } from './stock-reservation.entity';

const CONSUMER = 'catalog.stock-release';

/**
 * Catalog's compensation in the place-order saga: on `orders.order-cancelled` it gives back the stock
 * reserved for the order (RESERVED -> RELEASED, `catalog.stock-released` in the outbox), or, when the
 * cancel overtook the order-placed, leaves a CANCELLED tombstone so that the reservation is refused when
 * it arrives. Released and tombstoned orders are left as they are. Each cancel is applied once (inbox),
 * all in one transaction. With AUTH_VERIFY_MESSAGE_IDENTITY on (the default), only a cancel signed by orders
 * is applied; any other is dead-lettered at once, so no one else can give reserved stock back.
 */
@Injectable()
export class StockReleaseHandler implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(StockReleaseHandler.name);
  private subscription?: Subscription;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(SUBSCRIBER) private readonly subscriber: Subscriber,
    @Inject(MESSAGING_OPTIONS) private readonly messaging: MessagingModuleOptions,
    @Optional() @Inject(MESSAGE_IDENTITY_VERIFIER) private readonly identities?: MessageIdentityVerifier | null,
  ) {}

  onModuleInit(): void {
    this.subscription = this.subscriber.subscribe(OrderCancelled, { group: CONSUMER, handler: (payload, envelope) => this.handle(payload, envelope) });
  }

  async onModuleDestroy(): Promise<void> {
    await this.subscription?.close();
  }

  async handle(cancel: OrderCancelledPayload, envelope: Envelope<OrderCancelledPayload>): Promise<void> {
    const { orderId } = cancel;
    const identities = this.identities;
    if (identities) await refusedUnless(`${envelope.type} ${envelope.id}`, () => identities.verify(envelope, { from: ['orders'] }));
    await Inbox.handleOnce(this.dataSource, CONSUMER, envelope, async (manager) => {
      const reservation = await manager.findOneBy(StockReservationEntity, { orderId });
      const now = new Date();
      if (!reservation) {
        // Fails on the primary key if the reservation commits meanwhile; the retry then releases it.
        await manager.insert(StockReservationEntity, { orderId, items: [], status: 'CANCELLED', createdAt: now, updatedAt: now });
        this.logger.log({ orderId }, 'order cancelled before its reservation; it will be refused');
        return;
      }
      // Conditional, so that two different cancels of one order cannot both give the stock back: on
      // PostgreSQL the later UPDATE waits for the earlier one to commit, then matches no row.
      const claimed = await manager.update(StockReservationEntity, { orderId, status: 'RESERVED' }, { status: 'RELEASED', updatedAt: now });
      if (claimed.affected !== 1) {
        this.logger.log({ orderId, status: reservation.status }, 'cancel for an order with no stock held ignored');
        return;
      }
      await this.giveBack(manager, orderId, stockDemand(reservation.items));
      const released = { orderId, items: reservation.items };
      await Outbox.enqueue(manager, createEnvelope(StockReleased, released, { producer: this.messaging.service, key: orderId, ...causedBy(envelope) }));
      this.logger.log({ orderId }, 'stock released for a cancelled order');
    });
  }

  private async giveBack(manager: EntityManager, orderId: string, held: Map<string, number>): Promise<void> {
    // Product order, as the reservation's row locks are taken, so a release and a reservation never deadlock.
    for (const productId of [...held.keys()].sort()) {
      const result = await manager
        .createQueryBuilder()
        .update(ProductEntity)
        .set({ stock: () => `stock + ${Number(held.get(productId))}`, version: () => 'version + 1' })
        .where('id = :id', { id: productId })
        .execute();
      if (result.affected !== 1) this.logger.warn({ orderId, productId }, 'stock of a product that no longer exists cannot be given back');
    }
  }
}
