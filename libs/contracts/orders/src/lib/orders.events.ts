import { z } from 'zod';

/** Names of the messages orders publishes. Use these constants, never string literals. */
export const OrdersEvents = {
  orderPlaced: 'orders.order-placed',
  orderConfirmed: 'orders.order-confirmed',
  orderRejected: 'orders.order-rejected',
  orderCancelled: 'orders.order-cancelled',
} as const;

/** Payload of `orders.order-placed`. Events strip unknown keys (not strict) so producers can add fields. */
export const OrderPlacedPayload = z.object({
  orderId: z.string().min(1),
  userId: z.string().min(1),
  items: z.array(z.object({ productId: z.string().min(1), quantity: z.number().int().min(1).max(1000) })).min(1).max(50),
});
export type OrderPlacedPayload = z.infer<typeof OrderPlacedPayload>;

/** Payload of `orders.order-confirmed`. */
export const OrderConfirmedPayload = z.object({
  orderId: z.string().min(1),
  userId: z.string().min(1),
});
export type OrderConfirmedPayload = z.infer<typeof OrderConfirmedPayload>;

/** Payload of `orders.order-rejected`. */
export const OrderRejectedPayload = z.object({
  orderId: z.string().min(1),
  userId: z.string().min(1),
  reason: z.string().min(1),
});
export type OrderRejectedPayload = z.infer<typeof OrderRejectedPayload>;

/** Payload of `orders.order-cancelled`; `reason` says why (for instance that stock reservation timed out). */
export const OrderCancelledPayload = z.object({
  orderId: z.string().min(1),
  userId: z.string().min(1),
  reason: z.string().min(1),
});
export type OrderCancelledPayload = z.infer<typeof OrderCancelledPayload>;

/** Event contract: an order was stored as PENDING. Catalog consumes it as its request to reserve stock. */
export const OrderPlaced = { type: OrdersEvents.orderPlaced, version: 1, schema: OrderPlacedPayload } as const;

/** Event contract: stock was reserved and the order is CONFIRMED. */
export const OrderConfirmed = { type: OrdersEvents.orderConfirmed, version: 1, schema: OrderConfirmedPayload } as const;

/** Event contract: the order was REJECTED, with the reason catalog gave. */
export const OrderRejected = { type: OrdersEvents.orderRejected, version: 1, schema: OrderRejectedPayload } as const;

/**
 * Event contract: a PENDING order was CANCELLED by orders (catalog did not answer in time). Catalog
 * consumes it to give back any stock it reserved for the order, or to refuse a reservation still to come.
 */
export const OrderCancelled = { type: OrdersEvents.orderCancelled, version: 1, schema: OrderCancelledPayload } as const;
