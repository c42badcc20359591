import { Redis } from 'ioredis';
import { DEFAULT_RATE_LIMIT_TIMEOUT_MS } from './rate.limiter';

/** How {@link createRateLimitRedis} connects. */
export interface RateLimitRedisOptions {
  /** Longest one command may take (ioredis `commandTimeout`); match `RateLimiterOptions.timeoutMs`. Default 100 ms. */
  timeoutMs?: number;
  /** Longest a connection attempt may take. Default 1 000 ms. */
  connectTimeoutMs?: number;
  /** Longest pause between reconnect attempts while Redis is down. Default 2 000 ms. */
  maxReconnectDelayMs?: number;
  /**
   * Receives the client's connection errors (refused, reset, timeouts), e.g. to log them at debug level; each
   * failed decision is also reported by `RateLimiterOptions.onError`. Without it they are dropped, not printed.
   */
  onError?: (error: Error) => void;
}

/**
 * An ioredis client fit for a rate limiter on the request path: commands fail at once while disconnected
 * (no offline queue) instead of waiting for a reconnect, each command times out after `timeoutMs`, a command
 * is retried at most once, and the client keeps reconnecting in the background with a capped backoff.
 * The caller owns it: `await client.quit()` on shutdown. Wait for `'ready'` before serving if the first
 * requests must be counted (until then they are store failures).
 */
export function createRateLimitRedis(url: string, options: RateLimitRedisOptions = {}): Redis {
  const maxDelay = options.maxReconnectDelayMs ?? 2_000;
  const client = new Redis(url, {
    enableOfflineQueue: false,
    commandTimeout: options.timeoutMs ?? DEFAULT_RATE_LIMIT_TIMEOUT_MS,
    connectTimeout: options.connectTimeoutMs ?? 1_000,
    maxRetriesPerRequest: 1,
    retryStrategy: (attempt) => Math.min(50 * 2 ** Math.min(attempt, 10), maxDelay),
  });
  client.on('error', options.onError ?? ignore);
  return client;
}

function ignore(): void {
  // Connection errors surface per decision through RateLimiterOptions.onError; printing each reconnect is noise.
}
