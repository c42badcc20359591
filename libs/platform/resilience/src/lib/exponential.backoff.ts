import { ExponentialBackoff, type GeneratorFn, noJitterGenerator } from 'cockatiel';

/** A source of uniform random numbers in [0, 1), injectable so that jittered delays are testable. */
export type Rng = () => number;

/** How the retry delays are spread: `full` draws each from [0, capped exponential), `none` uses it as is. */
export type Jitter = 'full' | 'none';

/** Shape of an exponential backoff: `baseDelayMs * 2^(retry - 1)`, capped at `maxDelayMs`. */
export interface BackoffOptions {
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly jitter?: Jitter;
  readonly rng?: Rng;
}

/**
 * Returns cockatiel's {@link ExponentialBackoff} with AWS-style full jitter drawn from `rng` (cockatiel's
 * own jitter generators read `Math.random` and so cannot be replayed in tests).
 */
export function exponentialBackoff(options: BackoffOptions): ExponentialBackoff<number> {
  const rng = options.rng ?? Math.random;
  const fullJitter: GeneratorFn<number> = (state, generatorOptions) => {
    const [delay, next] = noJitterGenerator(state, generatorOptions);
    return [Math.floor(rng() * delay), next];
  };
  return new ExponentialBackoff<number>({
    initialDelay: options.baseDelayMs,
    maxDelay: options.maxDelayMs,
    exponent: 2,
    generator: options.jitter === 'none' ? noJitterGenerator : fullJitter,
  });
}
