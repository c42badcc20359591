import { tokenClaimsConfigSchema } from '@nestkit/auth';
import { baseConfigSchema, port } from '@nestkit/config';
import { databaseUrl } from '@nestkit/database';
import { discoveryConfigSchema } from '@nestkit/discovery';
import { z } from 'zod';

/** Every setting of the identity service, read from the environment and validated at boot. */
export const identityConfigSchema = baseConfigSchema.extend({
  ...discoveryConfigSchema.shape,
  ...tokenClaimsConfigSchema.shape,
  PORT: port(4001),
  DATABASE_URL: databaseUrl('sqlite:.data/identity.db'),
  ACCESS_TOKEN_TTL_SEC: z.coerce.number().int().min(30).max(3_600).default(600),
  REFRESH_TOKEN_TTL_SEC: z.coerce.number().int().min(300).max(90 * 24 * 3_600).default(30 * 24 * 3_600),
});

export type IdentityConfig = z.infer<typeof identityConfigSchema>;
