import { strictCallerPolicyConfigSchema, tokenClaimsConfigSchema } from '@nestkit/auth';
import { baseConfigSchema, port } from '@nestkit/config';
import { Email } from '@nestkit/contracts/identity';
import { databaseUrl } from '@nestkit/database';
import { discoveryConfigSchema } from '@nestkit/discovery';
import { z } from 'zod';
import { serviceClientsConfigSchema } from './clients/service-clients.config';
import { signingKeysConfigSchema } from './keys/signing-keys.config';
import { loginThrottleConfigSchema } from './login/login-throttle.config';

/** Every setting of the identity service, read from the environment and validated at boot. */
export const identityConfigSchema = baseConfigSchema
  .extend({
    ...discoveryConfigSchema.shape,
    ...tokenClaimsConfigSchema.shape,
    // Production by default: only the gateway and other services (with a service token for "identity") get answers.
    ...strictCallerPolicyConfigSchema('identity').shape,
    ...signingKeysConfigSchema.shape,
    ...loginThrottleConfigSchema.shape,
    ...serviceClientsConfigSchema.shape,
    PORT: port(4001),
    DATABASE_URL: databaseUrl('sqlite:.data/identity.db'),
    ACCESS_TOKEN_TTL_SEC: z.coerce.number().int().min(30).max(3_600).default(600),
    REFRESH_TOKEN_TTL_SEC: z.coerce.number().int().min(300).max(90 * 24 * 3_600).default(30 * 24 * 3_600),
    /** The account that becomes admin: at startup if it exists, at registration if no admin exists yet. */
    BOOTSTRAP_ADMIN_EMAIL: Email.optional(),
  })
  .superRefine((config, context) => {
    if (config.NODE_ENV === 'production' && !config.SIGNING_KEY_SECRET) {
      context.addIssue({ code: 'custom', path: ['SIGNING_KEY_SECRET'], message: 'required in production: the secret that encrypts the signing keys at rest' });
    }
  });

export type IdentityConfig = z.infer<typeof identityConfigSchema>;
