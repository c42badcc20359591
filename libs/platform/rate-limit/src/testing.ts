import type { Redis } from 'ioredis';

/** How a {@link FakeRateLimitRedis} answers: counts like Redis, fails at once, never answers, or is disconnected. */
export type FakeRedisMode = 'healthy' | 'failing' | 'hanging' | 'not-ready';

interface Counter {
  value: number;
  expiresAt: number;
}

/**
 * A stand-in for the ioredis client a `RateLimiter` counts in, for unit tests of fail-open/closed handling and
 * of callers such as the gateway's filter. It answers the one command rate-limiter-flexible's `RateLimiterRedis`
 * sends (its `rlflxIncr` Lua script: `SET NX EX`, `INCRBY`, `PTTL`) from memory, using `Date.now()` so fake
 * timers move its windows. Switch `mode` at any time to simulate an outage and a recovery.
 */
export class FakeRateLimitRedis {
  /** How the next commands are answered. */
  mode: FakeRedisMode = 'healthy';
  /** How many counting commands reached the fake, in any mode. */
  calls = 0;
  readonly options = { host: 'fake-redis', port: 0 };
  private readonly counters = new Map<string, Counter>();

  constructor(mode: FakeRedisMode = 'healthy') {
    this.mode = mode;
  }

  /** ioredis's connection state, which `rejectIfRedisNotReady` checks before each command. */
  get status(): string {
    return this.mode === 'not-ready' ? 'reconnecting' : 'ready';
  }

  /** This fake, typed as the ioredis client `RateLimiterOptions.store` expects. */
  asRedis(): Redis {
    return this as unknown as Redis;
  }

  /** Accepts rate-limiter-flexible's `defineCommand('rlflxIncr', …)`; the script is emulated in {@link rlflxIncr}. */
  defineCommand(): void {
    // The Lua script is emulated below instead of evaluated.
  }

  /** The emulated script: `[key, points, windowSeconds, …]` → `[consumed, ttlMs]`. */
  rlflxIncr(args: string[]): Promise<[number, number]> {
    this.calls++;
    if (this.mode === 'failing') return Promise.reject(new Error('connect ECONNREFUSED fake-redis:0'));
    if (this.mode === 'hanging') return new Promise(() => undefined);
    const [key, points, seconds] = args as [string, string, string];
    const now = Date.now();
    let counter = this.counters.get(key);
    if (!counter || counter.expiresAt <= now) {
      counter = { value: 0, expiresAt: now + Number(seconds) * 1_000 };
      this.counters.set(key, counter);
    }
    counter.value += Number(points);
    return Promise.resolve([counter.value, counter.expiresAt - now]);
  }
}
