import type { Redis } from 'ioredis';
import { type RateLimiterAbstract, RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { PolicyDecisions } from './rate-limit.decisions';
import { assertValidPolicy, type RateLimitDecision, type RateLimitPolicy } from './rate-limit.policy';
import { RateLimitStoreError } from './rate-limit-store.error';

/** What a {@link RateLimiter} does when its store fails or times out: let the request through, or refuse it (503). */
export type StoreErrorMode = 'open' | 'closed';

/** How a {@link RateLimiter} counts and what it does when counting fails. */
export interface RateLimiterOptions {
  /**
   * `'memory'` counts in this process (one gateway, tests). An ioredis client the caller owns shares the count
   * between processes; build it with {@link createRateLimitRedis} (no offline queue, a command timeout, one retry).
   */
  store: 'memory' | Redis;
  /** With a Redis store that fails or times out: `open` lets the request through, `closed` refuses it (`store-unavailable`). */
  onStoreError: StoreErrorMode;
  /** Longest a Redis decision may take before the store counts as failed. Default {@link DEFAULT_RATE_LIMIT_TIMEOUT_MS}. */
  timeoutMs?: number;
  /** Prefix of every store key (`<prefix>:<policy>:<identity>`). Default `nestkit:rl`. */
  keyPrefix?: string;
  /**
   * Called on every store failure with a {@link RateLimitStoreError} naming the store, the policy and the cause:
   * wire it to the logger and a metric. Without it, the first failure after a success emits a process warning.
   */
  onError?: (error: RateLimitStoreError) => void;
}

/** Default of {@link RateLimiterOptions.timeoutMs}: a decision is on every request's path, so it must be quick. */
export const DEFAULT_RATE_LIMIT_TIMEOUT_MS = 100;

interface PolicyEntry {
  readonly decisions: PolicyDecisions;
  readonly limiter: RateLimiterAbstract;
}

/**
 * Counts requests per policy and identity (user id, or client IP when anonymous) in memory or in Redis, with
 * rate-limiter-flexible's atomic counters (one Lua `INCRBY` + `PTTL` per decision in Redis, never read-then-write).
 * One rate-limiter-flexible limiter per policy name is created on first use and kept.
 */
export class RateLimiter {
  private readonly entries = new Map<string, PolicyEntry>();
  private readonly timeoutMs: number;
  private readonly keyPrefix: string;
  private readonly storeName: string;
  private readonly timeoutCause: Error;
  private failures = 0;
  private healthy = true;
  private closed = false;

  constructor(private readonly options: RateLimiterOptions) {
    this.timeoutMs = options.timeoutMs ?? DEFAULT_RATE_LIMIT_TIMEOUT_MS;
    if (!(this.timeoutMs > 0)) throw new RangeError(`RateLimiter: timeoutMs must be positive, got ${options.timeoutMs}`);
    this.keyPrefix = options.keyPrefix ?? 'nestkit:rl';
    this.storeName = options.store === 'memory' ? 'memory' : describeRedis(options.store);
    this.timeoutCause = new Error(`no answer within ${this.timeoutMs} ms`);
  }

  /** How many decisions the store failed (error or timeout) since this limiter was created. */
  get storeFailures(): number {
    return this.failures;
  }

  /**
   * Counts one request of `identity` against `policy` and says whether it may pass. Never rejects for a store
   * failure: that yields a `degraded` decision per `onStoreError`. Rejects only for an invalid policy, two
   * different policies under one name, or after {@link close}.
   */
  async consume(policy: RateLimitPolicy, identity: string): Promise<RateLimitDecision> {
    const entry = this.entryFor(policy);
    try {
      const res = await this.count(entry.limiter, identity);
      this.healthy = true;
      return entry.decisions.allowed(res);
    } catch (error) {
      if (error instanceof RateLimiterRes) {
        this.healthy = true;
        return entry.decisions.refused(error);
      }
      return this.storeFailed(entry.decisions, error);
    }
  }

  /** Forgets the per-policy limiters; later calls to {@link consume} reject. The Redis client stays the caller's to quit. */
  async close(): Promise<void> {
    this.closed = true;
    this.entries.clear();
  }

  private entryFor(policy: RateLimitPolicy): PolicyEntry {
    if (this.closed) throw new Error('RateLimiter is closed; create a new one');
    const entry = this.entries.get(policy.name);
    if (entry) {
      const known = entry.decisions.policy;
      if (known !== policy && (known.limit !== policy.limit || known.windowMs !== policy.windowMs)) {
        throw new Error(
          `rate limit policy "${policy.name}" is used with ${policy.limit} per ${policy.windowMs} ms and with ${known.limit} per ${known.windowMs} ms; give each policy its own name`,
        );
      }
      return entry;
    }
    assertValidPolicy(policy);
    const created: PolicyEntry = { decisions: new PolicyDecisions(policy), limiter: this.createLimiter(policy) };
    this.entries.set(policy.name, created);
    return created;
  }

  private createLimiter(policy: RateLimitPolicy): RateLimiterAbstract {
    const common = { points: policy.limit, duration: policy.windowMs / 1_000, keyPrefix: `${this.keyPrefix}:${policy.name}` };
    if (this.options.store === 'memory') return new RateLimiterMemory(common);
    // No insuranceLimiter: it would swallow the store error (no count, no log) and limit per process instead.
    // No inMemoryBlockOnConsumed: its blocked-key map is scanned whole on every insert past 999 keys.
    return new RateLimiterRedis({ ...common, storeClient: this.options.store, rejectIfRedisNotReady: true, useRedisPackage: false });
  }

  private count(limiter: RateLimiterAbstract, identity: string): Promise<RateLimiterRes> {
    if (this.options.store === 'memory') return limiter.consume(identity);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(reject, this.timeoutMs, this.timeoutCause);
      limiter.consume(identity).then(
        (res) => {
          clearTimeout(timer);
          resolve(res);
        },
        (error: unknown) => {
          clearTimeout(timer);
          reject(error);
        },
      );
    });
  }

  private storeFailed(decisions: PolicyDecisions, cause: unknown): RateLimitDecision {
    this.failures++;
    const mode = this.options.onStoreError;
    const error = new RateLimitStoreError(this.storeName, decisions.policy.name, mode, cause);
    if (this.options.onError) {
      try {
        this.options.onError(error);
      } catch {
        // A broken logger must not turn a decision into a failed request; the failure is still counted.
      }
    } else if (this.healthy) {
      process.emitWarning(error);
    }
    this.healthy = false;
    return mode === 'open' ? decisions.degradedAllowed : decisions.degradedRefused;
  }
}

function describeRedis(client: Redis): string {
  const options = client.options as { host?: string; port?: number; path?: string } | undefined;
  if (options?.path) return `redis ${options.path}`;
  return options?.host ? `redis ${options.host}:${options.port ?? 6379}` : 'redis';
}
