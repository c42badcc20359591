import { z } from 'zod';

/**
 * The place-order saga's settings. Spread into the service schema
 * (`ordersConfigSchema = baseConfigSchema.extend({ ...sagaConfigSchema.shape, ... })`) so they are read
 * from the environment and validated at boot with the rest.
 */
export const sagaConfigSchema = z.object({
  /**
   * How long an order may stay PENDING, waiting for catalog's answer, before it is CANCELLED and its
   * stock released. Also the grace after start before the first sweep, so answers queued while the
   * service was down are consumed before their orders are judged late.
   */
  SAGA_TIMEOUT_MS: z.coerce.number().int().min(1_000).max(86_400_000).default(30_000),
  /** Pause between two sweeps for overdue PENDING orders; an order is cancelled at most this long after its timeout. */
  SAGA_SWEEP_MS: z.coerce.number().int().min(100).max(60_000).default(1_000),
});

/** The saga settings, as {@link sagaConfigSchema} validates them. */
export type SagaConfig = z.infer<typeof sagaConfigSchema>;
