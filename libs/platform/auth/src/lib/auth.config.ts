import { ConfigError, flag } from '@nestkit/config';
import { z } from 'zod';
import { DEFAULT_MESSAGE_AUDIENCE } from './messages/message-identity';
import type { ServiceTokenProviderOptions } from './service-tokens/service-token.provider';
import type { JwksUrlVerifierOptions } from './verification/jwt-verifier.options';

/** The token claims every party agrees on: who issues access tokens, and for which audience. */
export const tokenClaimsConfigSchema = z.object({
  AUTH_ISSUER: z.string().min(1).default('nestkit-identity'),
  AUTH_AUDIENCE: z.string().min(1).default('nestkit'),
});

/**
 * How strict a service is about who calls it. The defaults keep the walking-skeleton behaviour (end-user
 * token only); production sets `AUTH_SERVICE_AUDIENCE=<service>` and `AUTH_REQUIRE_SERVICE_TOKEN=true`.
 */
export const callerPolicyConfigSchema = z.object({
  /** This service's name as the audience of service tokens sent to it. Enables `x-service-authorization`. */
  AUTH_SERVICE_AUDIENCE: z.string().min(1).optional(),
  /** Refuse every call without a valid service token (from the gateway or another service), except `@Anonymous()` routes. */
  AUTH_REQUIRE_SERVICE_TOKEN: flag(false),
  /** Verify the signed identity of messages that reach Nest message handlers; off lets them through untouched. */
  AUTH_VERIFY_MESSAGE_IDENTITY: flag(false),
  /** Audience of message identities. */
  AUTH_MESSAGE_AUDIENCE: z.string().min(1).default(DEFAULT_MESSAGE_AUDIENCE),
});

/**
 * {@link callerPolicyConfigSchema} with the production defaults for the service named `service`: service
 * tokens for audience `service` required from every caller, message identities verified. A deployment can
 * still relax a key (e.g. `AUTH_REQUIRE_SERVICE_TOKEN=false` while callers are switched over).
 */
export function strictCallerPolicyConfigSchema(service: string) {
  return callerPolicyConfigSchema.extend({
    AUTH_SERVICE_AUDIENCE: z.string().min(1).default(service),
    AUTH_REQUIRE_SERVICE_TOKEN: flag(true),
    AUTH_VERIFY_MESSAGE_IDENTITY: flag(true),
  });
}

/** The config keys of a service that verifies access tokens: extend its schema with this `shape`. */
export const authConfigSchema = tokenClaimsConfigSchema.extend({
  /** Where the identity service publishes its signing keys. Never taken from a token. */
  AUTH_JWKS_URL: z.url().default('http://127.0.0.1:4001/.well-known/jwks.json'),
  ...callerPolicyConfigSchema.shape,
});

/**
 * {@link authConfigSchema} with the production caller policy as default ({@link strictCallerPolicyConfigSchema}):
 * what a service behind the gateway extends its schema with, `...serviceAuthConfigSchema('orders').shape`.
 */
export function serviceAuthConfigSchema(service: string) {
  return authConfigSchema.extend(strictCallerPolicyConfigSchema(service).shape);
}

/** The parsed {@link authConfigSchema} keys. */
export type AuthConfig = z.infer<typeof authConfigSchema>;
/** The parsed {@link callerPolicyConfigSchema} keys. */
export type CallerPolicyConfig = z.infer<typeof callerPolicyConfigSchema>;

/** The caller-policy part of `AuthModule` options, from config; refuses a policy that cannot be enforced. */
export function callerPolicyOptions(config: CallerPolicyConfig): {
  serviceAudience?: string;
  requireServiceToken: boolean;
  verifyMessages: boolean;
  messageAudience: string;
} {
  if (config.AUTH_REQUIRE_SERVICE_TOKEN && !config.AUTH_SERVICE_AUDIENCE) {
    throw new ConfigError('auth', [{ key: 'AUTH_SERVICE_AUDIENCE', message: 'required when AUTH_REQUIRE_SERVICE_TOKEN is true: set it to this service name' }]);
  }
  return {
    ...(config.AUTH_SERVICE_AUDIENCE === undefined ? {} : { serviceAudience: config.AUTH_SERVICE_AUDIENCE }),
    requireServiceToken: config.AUTH_REQUIRE_SERVICE_TOKEN,
    verifyMessages: config.AUTH_VERIFY_MESSAGE_IDENTITY,
    messageAudience: config.AUTH_MESSAGE_AUDIENCE,
  };
}

/** `AuthModule.forRoot` options from a service's config: the JWKS verifier plus the caller policy. */
export function verifierOptions(config: AuthConfig): JwksUrlVerifierOptions & ReturnType<typeof callerPolicyOptions> {
  return { jwksUrl: config.AUTH_JWKS_URL, issuer: config.AUTH_ISSUER, audience: config.AUTH_AUDIENCE, ...callerPolicyOptions(config) };
}

/** The config keys of a service that obtains its own service tokens from identity. */
export const serviceClientConfigSchema = z.object({
  /** identity's token endpoint. */
  AUTH_TOKEN_URL: z.url().default('http://127.0.0.1:4001/oauth/token'),
  /** This service's client id, as listed in identity's SERVICE_CLIENTS. */
  AUTH_CLIENT_ID: z.string().min(1).optional(),
  /** This service's client secret (identity stores only its hash). Inject from a secret store. */
  AUTH_CLIENT_SECRET: z.string().min(16).optional(),
  AUTH_TOKEN_TIMEOUT_MS: z.coerce.number().int().min(50).max(30_000).default(2_000),
});

/** The parsed {@link serviceClientConfigSchema} keys. */
export type ServiceClientConfig = z.infer<typeof serviceClientConfigSchema>;

/** `ServiceTokenProvider` options from config; names the missing key when the client is not configured. */
export function serviceTokenProviderOptions(config: ServiceClientConfig): ServiceTokenProviderOptions {
  const missing = (['AUTH_CLIENT_ID', 'AUTH_CLIENT_SECRET'] as const).filter((key) => !config[key]);
  if (missing.length > 0) {
    throw new ConfigError('auth', missing.map((key) => ({ key, message: 'required to obtain service tokens from identity' })));
  }
  return { tokenUrl: config.AUTH_TOKEN_URL, clientId: config.AUTH_CLIENT_ID as string, clientSecret: config.AUTH_CLIENT_SECRET as string, timeoutMs: config.AUTH_TOKEN_TIMEOUT_MS };
}
