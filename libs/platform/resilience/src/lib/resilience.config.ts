import { z } from 'zod';
import { RECOMMENDED_UPSTREAM_POLICY, type UpstreamPolicyOptions } from './policy-for';

const int = (min: number, max: number) => z.number().int().min(min).max(max);

/** Overrides of one part; `false` turns the part off for that upstream. */
const part = <T extends z.ZodRawShape>(shape: T) => z.union([z.literal(false), z.strictObject(shape).partial()]).optional();

/** What `UPSTREAM_POLICIES` may say about one upstream: any part of its policy, merged over the defaults. */
export const upstreamPolicyOverrideSchema = z.strictObject({
  timeoutMs: int(1, 120_000).optional(),
  bulkhead: part({ maxConcurrent: int(1, 10_000), maxQueued: int(0, 100_000) }),
  adaptiveLimit: part({
    initialLimit: int(1, 10_000),
    minLimit: int(1, 10_000),
    maxLimit: int(1, 10_000),
    backoffRatio: z.number().gt(0).lt(1),
    slowCallMs: int(1, 120_000),
  }),
  breaker: part({
    mode: z.enum(['consecutive', 'rate']),
    threshold: z.number().positive(),
    minimumCalls: int(1, 100_000),
    windowMs: int(1_000, 600_000),
    halfOpenAfterMs: int(1, 600_000),
    halfOpenProbes: int(1, 1_000),
  }),
  retry: part({ maxAttempts: int(1, 10), baseDelayMs: int(0, 60_000), maxDelayMs: int(0, 600_000), jitter: z.enum(['full', 'none']) }),
}).superRefine((value, ctx) => {
  const breaker = value.breaker;
  if (!breaker || breaker.threshold === undefined) return;
  // The default breaker is in rate mode, so a threshold without a mode is a rate.
  if (breaker.mode !== 'consecutive' && breaker.threshold >= 1) {
    ctx.addIssue({ code: 'custom', path: ['breaker', 'threshold'], message: 'in rate mode the threshold is a share of failed calls, between 0 and 1 (exclusive); for a count of failures set "mode":"consecutive"' });
  }
  if (breaker.mode === 'consecutive' && !Number.isInteger(breaker.threshold)) {
    ctx.addIssue({ code: 'custom', path: ['breaker', 'threshold'], message: 'in consecutive mode the threshold is a whole number of failures' });
  }
});

/** One upstream's overrides, as parsed from `UPSTREAM_POLICIES`. */
export type UpstreamPolicyOverride = z.infer<typeof upstreamPolicyOverrideSchema>;

const policiesJson = z
  .string()
  .default('{}')
  .transform((text, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: `not valid JSON (${(error as Error).message}); expected e.g. {"catalog":{"timeoutMs":800,"retry":false}}` });
      return z.NEVER;
    }
  })
  .pipe(z.record(z.string().min(1), upstreamPolicyOverrideSchema));

/** The config keys of resilience: extend a calling service's schema with its `shape`. */
export const resilienceConfigSchema = z.object({
  /**
   * Per-upstream policy overrides as JSON, keyed by service name, merged part by part over
   * {@link RECOMMENDED_UPSTREAM_POLICY}; `false` turns a part off. Example:
   * `{"catalog":{"timeoutMs":800,"bulkhead":{"maxConcurrent":32},"adaptiveLimit":{},"retry":false}}`.
   */
  UPSTREAM_POLICIES: policiesJson,
});

export type ResilienceConfig = z.infer<typeof resilienceConfigSchema>;

/**
 * The policy options of `upstream`: {@link RECOMMENDED_UPSTREAM_POLICY} with the per-attempt timeout capped at
 * `maxTimeoutMs` (the caller's whole budget for the upstream), then the upstream's `UPSTREAM_POLICIES` entry
 * merged part by part. An `adaptiveLimit` part is off unless configured (`{}` turns it on with its defaults).
 */
export function upstreamPolicyOptions(upstream: string, config: ResilienceConfig, maxTimeoutMs = Number.POSITIVE_INFINITY): UpstreamPolicyOptions {
  const base = RECOMMENDED_UPSTREAM_POLICY;
  const override: UpstreamPolicyOverride = config.UPSTREAM_POLICIES[upstream] ?? {};
  const merge = <T extends object>(defaults: T | undefined, value: false | Partial<T> | undefined): T | undefined => {
    if (value === false) return undefined;
    if (value === undefined) return defaults;
    return { ...defaults, ...value } as T;
  };
  return {
    timeoutMs: override.timeoutMs ?? Math.min(base.timeoutMs, maxTimeoutMs),
    bulkhead: merge(base.bulkhead, override.bulkhead),
    adaptiveLimit: merge(base.adaptiveLimit, override.adaptiveLimit),
    breaker: merge(base.breaker, override.breaker as UpstreamPolicyOptions['breaker']),
    retry: merge(base.retry, override.retry),
  };
}
