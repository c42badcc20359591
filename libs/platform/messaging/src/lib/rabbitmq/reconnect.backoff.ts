/** Bounds of the delay between reconnection attempts. */
export interface BackoffOptions {
  readonly initialMs: number;
  readonly maxMs: number;
}

/**
 * The delay before reconnection attempt number `attempt` (0-based): doubling from `initialMs`, capped at
 * `maxMs`, then jittered down by up to half so that the consumers of one broker, cut off by one outage, do
 * not all reconnect in the same instant.
 */
export function backoffDelay(attempt: number, options: BackoffOptions, random: () => number = Math.random): number {
  const ceiling = Math.min(options.maxMs, options.initialMs * 2 ** Math.min(attempt, 30));
  return Math.round(ceiling * (0.5 + random() / 2));
}
