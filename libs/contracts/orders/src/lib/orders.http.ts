import { z } from 'zod';

/** One order line: a product and a quantity between 1 and 1000. Unknown keys are rejected. */
export const OrderItem = z.strictObject({
  productId: z.string().min(1),
  quantity: z.number().int().min(1).max(1000),
});
export type OrderItem = z.infer<typeof OrderItem>;

/** Body of `POST /orders`: 1 to 50 lines. Unknown keys are rejected so typos fail loudly. */
export const PlaceOrderRequest = z.strictObject({
  items: z.array(OrderItem).min(1).max(50),
});
export type PlaceOrderRequest = z.infer<typeof PlaceOrderRequest>;

/**
 * Where an order is in its lifecycle: PENDING until catalog answers, then CONFIRMED or REJECTED; or
 * CANCELLED when catalog did not answer within the saga timeout. All but PENDING are final.
 */
export const OrderStatus = z.enum(['PENDING', 'CONFIRMED', 'REJECTED', 'CANCELLED']);
export type OrderStatus = z.infer<typeof OrderStatus>;

/** An order as the orders HTTP API returns it; `reason` is set when it was rejected or cancelled. */
export const Order = z.object({
  id: z.string().min(1),
  userId: z.string().min(1),
  status: OrderStatus,
  reason: z.string().optional(),
  items: z.array(z.object({ productId: z.string().min(1), quantity: z.number().int().min(1) })),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type Order = z.infer<typeof Order>;
