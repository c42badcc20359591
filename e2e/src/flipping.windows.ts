import type { OpenLoopSampler } from './open-loop.sampler';

/** The two states an upstream is flipped between while another route is measured. */
export type Condition = 'healthy' | 'hung';

/** One measurement window: its condition and the send-time range [`from`, `to`) whose calls it compares. */
export interface FlipWindow {
  readonly condition: Condition;
  readonly from: number;
  readonly to: number;
  /** How long after the flip the condition could first be seen at the edge, in ms. */
  readonly settleMs: number;
}

/** How {@link flipWindows} alternates the conditions. */
export interface FlipWindowsOptions {
  /** Measured healthy/hung pairs, after the warm-up. */
  readonly pairs: number;
  /** Pairs run first and thrown away: the flood starting up, JIT, connection pools. */
  readonly warmUpPairs: number;
  /** Length of the part of each window that is compared. */
  readonly windowMs: number;
  /** Dropped at the start of every window, in both conditions alike. */
  readonly skipMs: number;
  /** Makes the upstream hang (true) or answer (false). */
  readonly setHung: (hung: boolean) => void;
  /** Calls through the edge to the flipped upstream, to see when a flip has taken effect. */
  readonly probe: OpenLoopSampler;
  /** Successive 200s of `probe` that show the upstream healthy again. */
  readonly healthyRun: number;
  /** Fails the run if a flip takes longer than this to show at the edge. */
  readonly settleTimeoutMs: number;
}

/**
 * Alternates the upstream between healthy and hung, starting healthy, and returns the measured windows
 * (warm-up excluded). Each window starts when `probe` sees the new condition at the edge (a hung
 * upstream's calls fail; a healthy one's succeed again, `healthyRun` in a row, which waits for the
 * gateway's breakers to close), then drops `skipMs`, then lasts `windowMs`: both conditions are compared in their
 * steady state, not in the transition that the test's own flipping causes.
 */
export async function flipWindows(options: FlipWindowsOptions): Promise<FlipWindow[]> {
  const windows: FlipWindow[] = [];
  const total = 2 * (options.warmUpPairs + options.pairs);
  for (let index = 0; index < total; index += 1) {
    const condition: Condition = index % 2 === 0 ? 'healthy' : 'hung';
    const flippedAt = performance.now();
    options.setHung(condition === 'hung');
    // A hung upstream cannot answer, so one failed call shows it; a healthy one counts once its calls
    // succeed in a row, as the gateway's breakers may let one probe through and then open again.
    const settledAt =
      condition === 'healthy'
        ? await options.probe.firstRun(flippedAt, options.healthyRun, (status) => status === 200, `${options.healthyRun} answers of 200 in a row`, options.settleTimeoutMs)
        : await options.probe.firstRun(flippedAt, 1, (status) => status === 503 || status === 504, 'a 503 or 504', options.settleTimeoutMs);
    const from = settledAt + options.skipMs;
    const to = from + options.windowMs;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, to - performance.now())));
    if (index >= 2 * options.warmUpPairs) windows.push({ condition, from, to, settleMs: settledAt - flippedAt });
  }
  return windows;
}
