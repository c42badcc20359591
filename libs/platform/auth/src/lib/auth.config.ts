import { z } from 'zod';
import type { JwksUrlVerifierOptions } from './verification/jwt-verifier.options';

/** The token claims every party agrees on: who issues access tokens, and for which audience. */
export const tokenClaimsConfigSchema = z.object({
  AUTH_ISSUER: z.string().min(1).default('nestkit-identity'),
  AUTH_AUDIENCE: z.string().min(1).default('nestkit'),
});

/** The config keys of a service that verifies access tokens: extend its schema with this `shape`. */
export const authConfigSchema = tokenClaimsConfigSchema.extend({
  /** Where the identity service publishes its signing keys. Never taken from a token. */
  AUTH_JWKS_URL: z.url().default('http://127.0.0.1:4001/.well-known/jwks.json'),
});

export type AuthConfig = z.infer<typeof authConfigSchema>;

/** `AuthModule.forRoot` options from a service's config. */
export function verifierOptions(config: AuthConfig): JwksUrlVerifierOptions {
  return { jwksUrl: config.AUTH_JWKS_URL, issuer: config.AUTH_ISSUER, audience: config.AUTH_AUDIENCE };
}
