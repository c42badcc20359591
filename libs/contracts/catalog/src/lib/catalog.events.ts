import { z } from 'zod';

/** Names of the messages catalog publishes. Use these constants, never string literals. */
export const CatalogEvents = {
  stockReserved: 'catalog.stock-reserved',
  stockRejected: 'catalog.stock-rejected',
  stockReleased: 'catalog.stock-released',
} as const;

/** One reserved (or unavailable) order line: which product and how many units. */
export const StockItem = z.object({
  productId: z.string().min(1),
  quantity: z.number().int().min(1),
});
export type StockItem = z.infer<typeof StockItem>;

/** Payload of `catalog.stock-reserved`. */
export const StockReservedPayload = z.object({
  orderId: z.string().min(1),
  items: z.array(StockItem).min(1),
});
export type StockReservedPayload = z.infer<typeof StockReservedPayload>;

/** Payload of `catalog.stock-rejected`; `items` lists the lines that could not be reserved, when known. */
export const StockRejectedPayload = z.object({
  orderId: z.string().min(1),
  reason: z.string().min(1),
  items: z.array(StockItem).optional(),
});
export type StockRejectedPayload = z.infer<typeof StockRejectedPayload>;

/** Payload of `catalog.stock-released`: the lines whose stock was given back. */
export const StockReleasedPayload = z.object({
  orderId: z.string().min(1),
  items: z.array(StockItem).min(1),
});
export type StockReleasedPayload = z.infer<typeof StockReleasedPayload>;

/** Event contract: every line of an order was reserved, in one transaction. Answers `orders.order-placed`. */
export const StockReserved = {
  type: CatalogEvents.stockReserved,
  version: 1,
  schema: StockReservedPayload,
} as const;

/** Event contract: the order could not be reserved (unknown product, not enough stock); nothing was held. */
export const StockRejected = {
  type: CatalogEvents.stockRejected,
  version: 1,
  schema: StockRejectedPayload,
} as const;

/** Event contract: the stock reserved for an order was given back because orders cancelled it. Answers `orders.order-cancelled`. */
export const StockReleased = {
  type: CatalogEvents.stockReleased,
  version: 1,
  schema: StockReleasedPayload,
} as const;
