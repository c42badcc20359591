import { serviceAuthConfigSchema } from '@nestkit/auth';
import { baseConfigSchema, port } from '@nestkit/config';
import { databaseUrl } from '@nestkit/database';
import { discoveryConfigSchema } from '@nestkit/discovery';
import { messagingConfigSchema } from '@nestkit/messaging';
import { z } from 'zod';

/** Every setting of the catalog service, read from the environment and validated at boot. */
export const catalogConfigSchema = baseConfigSchema.extend({
  ...discoveryConfigSchema.shape,
  ...messagingConfigSchema.shape,
  // Production by default: callers need a service token for "catalog"; order-placed needs a signed identity.
  ...serviceAuthConfigSchema('catalog').shape,
  PORT: port(4002),
  DATABASE_URL: databaseUrl('sqlite:.data/catalog.db'),
});

export type CatalogConfig = z.infer<typeof catalogConfigSchema>;
