import { baseConfigSchema, port } from '@nestkit/config';
import { z } from 'zod';

/** Every setting of the gateway, read from the environment and validated at boot. */
export const gatewayConfigSchema = baseConfigSchema.extend({
  PORT: port(3000),
  REGISTRY: z.enum(['memory', 'static']).default('memory'),
  /** With REGISTRY=static: `catalog=10.0.0.5:4002,10.0.0.6:4002;orders=10.0.0.7:4003`. */
  STATIC_INSTANCES: z.string().default(''),
  SERVICE_VERSION: z.string().default('0.1.0'),
  ZONE: z.string().default('local'),
  /** Budget for one upstream call, in ms; the remaining budget travels downstream in `x-request-deadline`. */
  UPSTREAM_TIMEOUT_MS: z.coerce.number().int().min(50).max(120_000).default(5_000),
  BODY_LIMIT_BYTES: z.coerce.number().int().min(1_024).max(10 * 1024 * 1024).default(100 * 1024),
});

export type GatewayConfig = z.infer<typeof gatewayConfigSchema>;
