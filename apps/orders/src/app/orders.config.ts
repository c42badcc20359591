import { serviceAuthConfigSchema, serviceClientConfigSchema } from '@nestkit/auth';
import { baseConfigSchema, port } from '@nestkit/config';
import { databaseUrl } from '@nestkit/database';
import { discoveryConfigSchema } from '@nestkit/discovery';
import { messagingConfigSchema } from '@nestkit/messaging';
import { resilienceConfigSchema } from '@nestkit/resilience';
import { z } from 'zod';
import { sagaConfigSchema } from './saga/saga.config';

/** Every setting of the orders service, read from the environment and validated at boot. */
export const ordersConfigSchema = baseConfigSchema.extend({
  ...discoveryConfigSchema.shape,
  ...messagingConfigSchema.shape,
  // Production by default: callers need a service token for "orders"; orders gets its own from identity
  // (AUTH_CLIENT_SECRET, required) for catalog and for signing its messages.
  ...serviceAuthConfigSchema('orders').shape,
  ...serviceClientConfigSchema.shape,
  AUTH_CLIENT_ID: z.string().min(1).default('orders'),
  ...resilienceConfigSchema.shape,
  ...sagaConfigSchema.shape,
  PORT: port(4003),
  DATABASE_URL: databaseUrl('sqlite:.data/orders.db'),
  /** Budget for the product lookup in catalog while placing an order. */
  CATALOG_TIMEOUT_MS: z.coerce.number().int().min(50).max(30_000).default(2_000),
});

export type OrdersConfig = z.infer<typeof ordersConfigSchema>;
