import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit, Optional } from '@nestjs/common';
import { MESSAGE_IDENTITY_VERIFIER, type MessageIdentityVerifier } from '@nestkit/auth';
import { OrderCancelled, OrderConfirmed, OrderPlaced, OrderRejected } from '@nestkit/contracts/orders';
import type { NotificationKind } from '@nestkit/contracts/notifications';
import { UnauthenticatedError } from '@nestkit/errors';
import { type Envelope, Inbox, refusedUnless, STREAM_SUBSCRIBER, type Subscriber, type Subscription } from '@nestkit/messaging';
import { DataSource } from 'typeorm';
import { NotificationEntity } from './notification.entity';

const CONSUMER = 'notifications.order-events';

/**
 * Reads order events from the domain event stream (Kafka with STREAM=kafka) and turns them into
 * notifications for the order's owner, each event at most once (inbox). With AUTH_VERIFY_MESSAGE_IDENTITY
 * on (the default), only events signed by orders count, and an order-placed only when signed for the user
 * it names; anything else is dead-lettered, so no one can put a notification in someone's list.
 */
@Injectable()
export class OrderEventsHandler implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(OrderEventsHandler.name);
  private readonly subscriptions: Subscription[] = [];

  constructor(
    private readonly dataSource: DataSource,
    @Inject(STREAM_SUBSCRIBER) private readonly subscriber: Subscriber,
    @Optional() @Inject(MESSAGE_IDENTITY_VERIFIER) private readonly identities?: MessageIdentityVerifier | null,
  ) {}

  onModuleInit(): void {
    this.subscriptions.push(
      this.subscriber.subscribe(OrderPlaced, {
        group: CONSUMER,
        handler: (p, e) => this.notify(e, p.userId, 'order-placed', p.orderId, `Order ${p.orderId} received; checking stock.`),
      }),
      this.subscriber.subscribe(OrderConfirmed, {
        group: CONSUMER,
        handler: (p, e) => this.notify(e, p.userId, 'order-confirmed', p.orderId, `Order ${p.orderId} is confirmed.`),
      }),
      this.subscriber.subscribe(OrderRejected, {
        group: CONSUMER,
        handler: (p, e) => this.notify(e, p.userId, 'order-rejected', p.orderId, `Order ${p.orderId} was rejected: ${p.reason}`),
      }),
      this.subscriber.subscribe(OrderCancelled, {
        group: CONSUMER,
        handler: (p, e) => this.notify(e, p.userId, 'order-cancelled', p.orderId, `Order ${p.orderId} was cancelled: ${p.reason}`),
      }),
    );
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.all(this.subscriptions.map((s) => s.close()));
  }

  private async notify(envelope: Envelope, userId: string, kind: NotificationKind, orderId: string, message: string): Promise<void> {
    await this.verifySender(envelope, userId);
    await Inbox.handleOnce(this.dataSource, CONSUMER, envelope, async (manager) => {
      // The event's own time (milliseconds) and id (UUID v7, ordered within its producer), so notifications
      // list in the order things happened, even two events of the same millisecond. One notification per event.
      const createdAt = new Date(envelope.occurredAt);
      await manager.insert(NotificationEntity, { id: envelope.id, userId, kind, orderId, message: message.slice(0, 500), createdAt });
      this.logger.log({ orderId, kind }, 'notification recorded');
    });
  }

  /** Orders signs its own events; an order-placed it signs for the user who placed it, who must be the one named. */
  private async verifySender(envelope: Envelope, userId: string): Promise<void> {
    const identities = this.identities;
    if (!identities) return;
    await refusedUnless(`${envelope.type} ${envelope.id}`, async () => {
      const principal = await identities.verify(envelope, { from: ['orders'] });
      if (principal.actor && principal.subject !== userId) throw new UnauthenticatedError(`signed for user "${principal.subject}", but the event names user "${userId}"`);
    });
  }
}
