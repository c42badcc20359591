import { serviceAuthConfigSchema, serviceClientConfigSchema } from '@nestkit/auth';
import { baseConfigSchema, port } from '@nestkit/config';
import { databaseUrl } from '@nestkit/database';
import { discoveryConfigSchema } from '@nestkit/discovery';
import { messagingConfigSchema } from '@nestkit/messaging';
import { z } from 'zod';

/** Every setting of the catalog service, read from the environment and validated at boot. */
export const catalogConfigSchema = baseConfigSchema.extend({
  ...discoveryConfigSchema.shape,
  ...messagingConfigSchema.shape,
  // Production by default: callers need a service token for "catalog"; order-placed and order-cancelled need
  // a signed identity from orders. Catalog signs its own answers with a token from identity (AUTH_CLIENT_SECRET, required).
  ...serviceAuthConfigSchema('catalog').shape,
  ...serviceClientConfigSchema.shape,
  AUTH_CLIENT_ID: z.string().min(1).default('catalog'),
  PORT: port(4002),
  DATABASE_URL: databaseUrl('sqlite:.data/catalog.db'),
});

export type CatalogConfig = z.infer<typeof catalogConfigSchema>;
