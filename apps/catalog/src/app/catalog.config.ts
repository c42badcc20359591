import { baseConfigSchema, port } from '@nestkit/config';
import { databaseUrl } from '@nestkit/database';
import { MESSAGING_BACKENDS } from '@nestkit/messaging';
import { z } from 'zod';

/** Every setting of the catalog service, read from the environment and validated at boot. */
export const catalogConfigSchema = baseConfigSchema.extend({
  PORT: port(4002),
  DATABASE_URL: databaseUrl('sqlite:.data/catalog.db'),
  BUS: z.enum(MESSAGING_BACKENDS).default('memory'),
  REGISTRY: z.enum(['memory', 'static']).default('memory'),
  SERVICE_VERSION: z.string().default('0.1.0'),
  ZONE: z.string().default('local'),
});

export type CatalogConfig = z.infer<typeof catalogConfigSchema>;
