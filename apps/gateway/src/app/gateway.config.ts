import { serviceClientConfigSchema, tokenClaimsConfigSchema } from '@nestkit/auth';
import { baseConfigSchema, flag, port } from '@nestkit/config';
import { discoveryConfigSchema } from '@nestkit/discovery';
import { messagingConfigSchema } from '@nestkit/messaging';
import { checkRateLimitConfig, rateLimitConfigSchema } from '@nestkit/rate-limit';
import { resilienceConfigSchema } from '@nestkit/resilience';
import { z } from 'zod';

const list = z
  .string()
  .default('')
  .transform((value) => value.split(',').map((item) => item.trim()).filter(Boolean));

/** An exact browser origin: scheme, host and optional port, nothing else; never `*` or `null`. */
const origins = list.superRefine((values, context) => {
  for (const value of values) {
    let url: URL | undefined;
    try {
      url = new URL(value);
    } catch {
      url = undefined;
    }
    if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:') || url.origin !== value.toLowerCase().replace(/\/$/, '')) {
      context.addIssue({ code: 'custom', message: `"${value}" is not an origin: write scheme://host[:port], e.g. https://shop.example.com (no path, no wildcard, never null)` });
    }
  }
});

/** Every setting of the gateway, read from the environment and validated at boot. */
export const gatewayConfigSchema = baseConfigSchema
  .extend({
    ...discoveryConfigSchema.shape,
    ...resilienceConfigSchema.shape,
    ...tokenClaimsConfigSchema.shape,
    ...serviceClientConfigSchema.shape,
    ...messagingConfigSchema.shape,
    PORT: port(3000),
    /** Budget for one upstream call, in ms; the remaining budget travels downstream in `x-request-deadline`. */
    UPSTREAM_TIMEOUT_MS: z.coerce.number().int().min(50).max(120_000).default(5_000),
    ...rateLimitConfigSchema.shape,
    /** Default body limit of a route, in bytes (a route's `bodyLimitBytes` overrides it). */
    BODY_LIMIT_BYTES: z.coerce.number().int().min(1_024).max(1024 * 1024 * 1024).default(100 * 1024),
    /** The routes file (YAML, see the README). Unset: `config/gateway.routes.yaml` when it exists, else only the routes services announce. */
    GATEWAY_ROUTES_FILE: z.string().min(1).optional(),
    /**
     * Proxies in front of the gateway whose `X-Forwarded-For` is believed (proxy-addr syntax, comma-separated:
     * `loopback`, `10.0.0.0/8`, `uniquelocal`). Empty (default): the socket's peer is the client.
     */
    TRUSTED_PROXIES: list,
    /** Browser origins allowed to call the API cross-origin, e.g. `https://shop.example.com`. Empty: CORS off. */
    CORS_ALLOWED_ORIGINS: origins,
    /** Let allowed origins send cookies and credentials (`Access-Control-Allow-Credentials: true`). */
    CORS_ALLOW_CREDENTIALS: flag(false),
    CORS_MAX_AGE_S: z.coerce.number().int().min(0).max(86_400).default(600),
    /** `memory` (this process) or `redis` (shared by every gateway). */
    CACHE_STORE: z.enum(['memory', 'redis']).default('memory'),
    CACHE_REDIS_URL: z.url({ protocol: /^rediss?$/, error: 'expected a redis:// or rediss:// URL' }).optional(),
    /** Upper bound of the memory cache, in bytes. */
    CACHE_MAX_BYTES: z.coerce.number().int().min(1024 * 1024).default(64 * 1024 * 1024),
    /** Larger answers are served but not cached. */
    CACHE_MAX_ENTRY_BYTES: z.coerce.number().int().min(1024).default(1024 * 1024),
    /** A client must send its request headers within this long (slowloris). */
    HEADERS_TIMEOUT_MS: z.coerce.number().int().min(1_000).max(120_000).default(10_000),
    /** A client must send its whole request, body included, within this long. */
    REQUEST_TIMEOUT_MS: z.coerce.number().int().min(1_000).max(3_600_000).default(60_000),
    /** identity's key set, for verifying user tokens at the edge. Unset: fetched from a live identity instance through discovery. */
    AUTH_JWKS_URL: z.url().optional(),
    /** identity's token endpoint, for the gateway's own service tokens. Unset: reached through discovery. */
    AUTH_TOKEN_URL: z.url().optional(),
    /** The gateway's client id in identity's SERVICE_CLIENTS. */
    AUTH_CLIENT_ID: z.string().min(1).default('gateway'),
  })
  .superRefine((config, context) => {
    checkRateLimitConfig(config, context);
    if (config.CACHE_STORE === 'redis' && !config.CACHE_REDIS_URL) {
      context.addIssue({ code: 'custom', path: ['CACHE_REDIS_URL'], message: 'required when CACHE_STORE=redis, e.g. redis://127.0.0.1:6379' });
    }
    if (config.NODE_ENV === 'production' && !config.AUTH_CLIENT_SECRET) {
      context.addIssue({
        code: 'custom',
        path: ['AUTH_CLIENT_SECRET'],
        message: "required in production: the gateway's client secret, for the service token every upstream demands",
      });
    }
  });

export type GatewayConfig = z.infer<typeof gatewayConfigSchema>;
