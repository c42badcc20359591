import { z, type ZodType } from 'zod';

/** Raised at boot when the environment does not satisfy the service's config schema. */
export class ConfigError extends Error {
  constructor(
    readonly service: string,
    readonly problems: { key: string; message: string }[],
  ) {
    super(
      `${service}: invalid configuration\n` +
        problems.map((p) => `  - ${p.key}: ${p.message}`).join('\n') +
        '\nSet these environment variables (see the service README) and start again.',
    );
    this.name = 'ConfigError';
  }
}

/**
 * Parses `env` with a zod object schema whose keys are environment variable names. Returns the typed,
 * defaulted config, or throws a {@link ConfigError} naming every bad or missing key.
 */
export function loadConfig<T>(service: string, schema: ZodType<T>, env: Record<string, string | undefined> = process.env): T {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  throw new ConfigError(
    service,
    result.error.issues.map((issue) => ({
      key: issue.path.length > 0 ? issue.path.map(String).join('.') : '(environment)',
      message: issue.message,
    })),
  );
}

/** A TCP port from an env var: an integer in 0..65535 (0 asks the OS for a free port). */
export const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);

/** A log level pino understands. */
export const logLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info');

/** A boolean from an env var: `true`/`1`/`yes` or `false`/`0`/`no`. */
export const flag = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'])
    .default(fallback ? 'true' : 'false')
    .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** Keys every service shares: where it listens and how it logs. */
export const baseConfigSchema = z.object({
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: port(0),
  LOG_LEVEL: logLevel,
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(120_000).default(10_000),
  /** Serve `GET /metrics` on this port instead of `PORT` (0: a free one); unset: on `PORT`. */
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
});

export type BaseConfig = z.infer<typeof baseConfigSchema>;
