import { z } from 'zod';

/** A product as the catalog HTTP API returns it. Prices are integer cents to avoid float rounding. */
export const Product = z.object({
  id: z.string().min(1),
  sku: z.string().min(1).max(64),
  name: z.string().min(1).max(200),
  priceCents: z.number().int().min(0),
  stock: z.number().int().min(0),
});
export type Product = z.infer<typeof Product>;
