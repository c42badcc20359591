import { baseConfigSchema, port } from '@nestkit/config';
import { databaseUrl } from '@nestkit/database';
import { MESSAGING_BACKENDS } from '@nestkit/messaging';
import { z } from 'zod';

/** Every setting of the orders service, read from the environment and validated at boot. */
export const ordersConfigSchema = baseConfigSchema.extend({
  PORT: port(4003),
  DATABASE_URL: databaseUrl('sqlite:.data/orders.db'),
  REGISTRY: z.enum(['memory', 'static']).default('memory'),
  STATIC_INSTANCES: z.string().default(''),
  BUS: z.enum(MESSAGING_BACKENDS).default('memory'),
  SERVICE_VERSION: z.string().default('0.1.0'),
  ZONE: z.string().default('local'),
  AUTH_JWKS_URL: z.url().default('http://127.0.0.1:4001/.well-known/jwks.json'),
  AUTH_ISSUER: z.string().min(1).default('nestkit-identity'),
  AUTH_AUDIENCE: z.string().min(1).default('nestkit'),
  /** Budget for the product lookup in catalog while placing an order. */
  CATALOG_TIMEOUT_MS: z.coerce.number().int().min(50).max(30_000).default(2_000),
});

export type OrdersConfig = z.infer<typeof ordersConfigSchema>;
