import { baseConfigSchema, port } from '@nestkit/config';
import { discoveryConfigSchema } from '@nestkit/discovery';
import { z } from 'zod';

/** Every setting of the gateway, read from the environment and validated at boot. */
export const gatewayConfigSchema = baseConfigSchema.extend({
  ...discoveryConfigSchema.shape,
  PORT: port(3000),
  /** Budget for one upstream call, in ms; the remaining budget travels downstream in `x-request-deadline`. */
  UPSTREAM_TIMEOUT_MS: z.coerce.number().int().min(50).max(120_000).default(5_000),
  BODY_LIMIT_BYTES: z.coerce.number().int().min(1_024).max(10 * 1024 * 1024).default(100 * 1024),
});

export type GatewayConfig = z.infer<typeof gatewayConfigSchema>;
