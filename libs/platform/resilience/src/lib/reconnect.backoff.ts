import { backoffDelay, type Rng } from './exponential.backoff';

/** Bounds of the delay between reconnection attempts, as the bus and registry options spell them. */
export interface ReconnectBackoffOptions {
  readonly initialMs: number;
  readonly maxMs: number;
}

/**
 * The delay before reconnection attempt number `attempt` (0-based): doubling from `initialMs`, capped at
 * `maxMs`, then jittered down by up to half ({@link backoffDelay} with `equal` jitter), so that the many
 * clients of one server, cut off by one outage, do not all reconnect in the same instant while none of
 * them waits much less than the backoff asks.
 */
export function reconnectDelay(attempt: number, options: ReconnectBackoffOptions, rng: Rng = Math.random): number {
  return backoffDelay(attempt, { baseDelayMs: options.initialMs, maxDelayMs: options.maxMs, jitter: 'equal', rng });
}
