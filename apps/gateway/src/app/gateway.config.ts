import { serviceClientConfigSchema, tokenClaimsConfigSchema } from '@nestkit/auth';
import { baseConfigSchema, port } from '@nestkit/config';
import { discoveryConfigSchema } from '@nestkit/discovery';
import { resilienceConfigSchema } from '@nestkit/resilience';
import { z } from 'zod';
import { DEFAULT_ROUTES } from './routing/route-table';

const KNOWN_PREFIXES = DEFAULT_ROUTES.map((route) => route.prefix);

/** Every setting of the gateway, read from the environment and validated at boot. */
export const gatewayConfigSchema = baseConfigSchema
  .extend({
    ...discoveryConfigSchema.shape,
    ...resilienceConfigSchema.shape,
    ...tokenClaimsConfigSchema.shape,
    ...serviceClientConfigSchema.shape,
    PORT: port(3000),
    /** Budget for one upstream call, in ms; the remaining budget travels downstream in `x-request-deadline`. */
    UPSTREAM_TIMEOUT_MS: z.coerce.number().int().min(50).max(120_000).default(5_000),
    /**
     * Route prefixes whose idempotent reads are hedged (comma-separated, e.g. `/api/catalog`): a second
     * attempt goes to another instance after the upstream's p95 latency; the first answer wins.
     */
    HEDGED_ROUTES: z
      .string()
      .default('')
      .transform((value) => value.split(',').map((prefix) => prefix.trim()).filter(Boolean))
      .refine((prefixes) => prefixes.every((prefix) => KNOWN_PREFIXES.includes(prefix)), {
        message: `expected route prefixes, comma-separated, from: ${KNOWN_PREFIXES.join(', ')}`,
      }),
    BODY_LIMIT_BYTES: z.coerce.number().int().min(1_024).max(10 * 1024 * 1024).default(100 * 1024),
    /** identity's key set, for verifying user tokens at the edge. Unset: fetched from a live identity instance through discovery. */
    AUTH_JWKS_URL: z.url().optional(),
    /** identity's token endpoint, for the gateway's own service tokens. Unset: reached through discovery. */
    AUTH_TOKEN_URL: z.url().optional(),
    /** The gateway's client id in identity's SERVICE_CLIENTS. */
    AUTH_CLIENT_ID: z.string().min(1).default('gateway'),
  })
  .superRefine((config, context) => {
    if (config.NODE_ENV === 'production' && !config.AUTH_CLIENT_SECRET) {
      context.addIssue({
        code: 'custom',
        path: ['AUTH_CLIENT_SECRET'],
        message: "required in production: the gateway's client secret, for the service token every upstream demands",
      });
    }
  });

export type GatewayConfig = z.infer<typeof gatewayConfigSchema>;
