import { authConfigSchema } from '@nestkit/auth';
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
  ...authConfigSchema.shape,
  ...resilienceConfigSchema.shape,
  ...sagaConfigSchema.shape,
  PORT: port(4003),
  DATABASE_URL: databaseUrl('sqlite:.data/orders.db'),
  /** Budget for the product lookup in catalog while placing an order. */
  CATALOG_TIMEOUT_MS: z.coerce.number().int().min(50).max(30_000).default(2_000),
});

export type OrdersConfig = z.infer<typeof ordersConfigSchema>;
