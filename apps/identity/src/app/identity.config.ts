import { baseConfigSchema, port } from '@nestkit/config';
import { databaseUrl } from '@nestkit/database';
import { z } from 'zod';

/** Every setting of the identity service, read from the environment and validated at boot. */
export const identityConfigSchema = baseConfigSchema.extend({
  PORT: port(4001),
  DATABASE_URL: databaseUrl('sqlite:.data/identity.db'),
  REGISTRY: z.enum(['memory', 'static']).default('memory'),
  SERVICE_VERSION: z.string().default('0.1.0'),
  ZONE: z.string().default('local'),
  AUTH_ISSUER: z.string().min(1).default('nestkit-identity'),
  AUTH_AUDIENCE: z.string().min(1).default('nestkit'),
  ACCESS_TOKEN_TTL_SEC: z.coerce.number().int().min(30).max(3_600).default(600),
  REFRESH_TOKEN_TTL_SEC: z.coerce.number().int().min(300).max(90 * 24 * 3_600).default(30 * 24 * 3_600),
});

export type IdentityConfig = z.infer<typeof identityConfigSchema>;
