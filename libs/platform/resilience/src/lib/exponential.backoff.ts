import { ExponentialBackoff, type GeneratorFn } from 'cockatiel';

/** A source of uniform random numbers in [0, 1), injectable so that jittered delays are testable. */
export type Rng = () => number;

/**
 * How the delays are spread: `full` draws each from [0, capped exponential) (rounded down), `equal` keeps
 * half of it and draws the other half (rounded to the nearest ms), `none` uses it as is.
 */
export type Jitter = 'full' | 'equal' | 'none';

/** Shape of an exponential backoff: the first retry waits up to `baseDelayMs`, each next one twice as long, capped at `maxDelayMs`. */
export interface BackoffOptions {
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** Defaults to `full`. */
  readonly jitter?: Jitter;
  readonly rng?: Rng;
}

/**
 * The delay before retry number `retry` (0-based, so retry 0 waits up to `baseDelayMs`): doubling from
 * `baseDelayMs`, capped at `maxDelayMs`, then jittered as `options.jitter` says (AWS's "full" and "equal"
 * jitter), so that many clients failed by one outage do not all come back in the same instant.
 */
export function backoffDelay(retry: number, options: BackoffOptions): number {
  // The exponent is capped so that a long outage's thousandth attempt cannot make it Infinity (0 * Infinity is NaN).
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** Math.min(retry, 30));
  const rng = options.rng ?? Math.random;
  switch (options.jitter ?? 'full') {
    case 'none':
      return ceiling;
    case 'equal':
      return Math.round(ceiling * (0.5 + rng() / 2));
    case 'full':
      return Math.floor(rng() * ceiling);
  }
}

/**
 * Returns cockatiel's {@link ExponentialBackoff} whose delays are {@link backoffDelay}'s, jitter drawn from
 * `rng` (cockatiel's own jitter generators read `Math.random` and so cannot be replayed in tests).
 */
export function exponentialBackoff(options: BackoffOptions): ExponentialBackoff<number> {
  const generator: GeneratorFn<number> = (retry = 0) => [backoffDelay(retry, options), retry + 1];
  return new ExponentialBackoff<number>({ initialDelay: options.baseDelayMs, maxDelay: options.maxDelayMs, exponent: 2, generator });
}
