import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { assertOwner, MessageIdentityStamper, type Principal } from '@nestkit/auth';
import { type Order, OrderPlaced, type PlaceOrderRequest } from '@nestkit/contracts/orders';
import { inTransaction } from '@nestkit/database';
import { type FieldIssue, NotFoundError, ValidationError } from '@nestkit/errors';
import { createEnvelope, MESSAGING_OPTIONS, type MessagingModuleOptions, Outbox } from '@nestkit/messaging';
import { DataSource, type Repository } from 'typeorm';
import { CatalogClient } from './catalog.client';
import { OrderEntity } from './order.entity';

/** The order as the API shows it. */
export function toOrderView(entity: OrderEntity): Order {
  return {
    id: entity.id,
    userId: entity.userId,
    status: entity.status,
    ...(entity.reason ? { reason: entity.reason } : {}),
    items: entity.items,
    createdAt: new Date(entity.createdAt).toISOString(),
    updatedAt: new Date(entity.updatedAt).toISOString(),
  };
}

function duplicateLines(request: PlaceOrderRequest): FieldIssue[] {
  const seen = new Set<string>();
  return request.items.flatMap((item, index) => {
    if (!seen.has(item.productId)) return (seen.add(item.productId), []);
    return [{ path: `items.${index}.productId`, message: `product ${item.productId} appears more than once; merge the lines` }];
  });
}

/**
 * Places orders and shows them to their owners. Placing stores the PENDING order and its
 * `orders.order-placed` event in one transaction (outbox); catalog's answer completes the saga. The event
 * carries orders' signed identity acting for the user (an on-behalf-of token from identity), which catalog
 * verifies; the user's own access token never goes into the message.
 */
@Injectable()
export class OrdersService {
  constructor(
    private readonly dataSource: DataSource,
    @InjectRepository(OrderEntity) private readonly orders: Repository<OrderEntity>,
    private readonly catalog: CatalogClient,
    @Inject(MESSAGING_OPTIONS) private readonly messaging: MessagingModuleOptions,
    private readonly stamper?: MessageIdentityStamper,
  ) {}

  /** `userToken` is the caller's access token, exchanged for the identity the order-placed event is signed with. */
  async place(principal: Principal, request: PlaceOrderRequest, userToken?: string): Promise<Order> {
    await this.assertPlaceable(request);
    const order: OrderEntity = Object.assign(new OrderEntity(), {
      id: randomUUID(),
      userId: principal.subject,
      status: 'PENDING' as const,
      reason: null,
      items: request.items,
    });
    // Set here rather than by the column defaults, which SQLite keeps to the second only.
    order.createdAt = order.updatedAt = new Date();
    // Carries the request's trace (createEnvelope takes the active span's), through the outbox to every consumer.
    const unsigned = createEnvelope(OrderPlaced, { orderId: order.id, userId: order.userId, items: order.items }, { producer: this.messaging.service, key: order.id });
    // Before the transaction: getting the identity may call identity, and no remote call holds a database transaction open.
    const event = this.stamper && userToken ? await this.stamper.stamp(unsigned, { onBehalfOf: userToken }) : unsigned;
    // Kept with the order so that a later cancel by the saga timeout joins the same message flow.
    order.correlationId = event.correlationId;
    const saved = await inTransaction(this.dataSource, async (manager) => {
      const stored = await manager.save(order);
      await Outbox.enqueue(manager, event);
      return stored;
    });
    return toOrderView(saved);
  }

  /** The caller's orders, newest first (at most 100). */
  async listMine(principal: Principal): Promise<Order[]> {
    const rows = await this.orders.find({ where: { userId: principal.subject }, order: { createdAt: 'DESC', id: 'ASC' }, take: 100 });
    return rows.map(toOrderView);
  }

  async get(principal: Principal, id: string): Promise<Order> {
    const order = await this.orders.findOneBy({ id });
    // Someone else's order answers exactly as a missing one, so ids cannot be probed.
    const notFound = new NotFoundError(`order ${id} does not exist`, 'orders.order-not-found');
    if (!order) throw notFound;
    try {
      assertOwner(principal, order.userId, `order ${id}`);
    } catch {
      throw notFound;
    }
    return toOrderView(order);
  }

  /** Rejects, before anything is written, an order naming a product twice or a product catalog does not know. */
  private async assertPlaceable(request: PlaceOrderRequest): Promise<void> {
    const duplicates = duplicateLines(request);
    if (duplicates.length > 0) throw new ValidationError('Invalid request body: duplicate products', duplicates);
    const known = new Set((await this.catalog.products(request.items.map((i) => i.productId))).map((p) => p.id));
    const unknown = request.items.flatMap((item, index) =>
      known.has(item.productId) ? [] : [{ path: `items.${index}.productId`, message: `product ${item.productId} does not exist` }],
    );
    if (unknown.length > 0) {
      throw new ValidationError(`Invalid request body: unknown product ${unknown.map((i) => i.path).join(', ')}`, unknown, 'orders.unknown-product');
    }
  }
}
