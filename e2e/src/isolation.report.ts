import type { Condition, FlipWindow } from './flipping.windows';
import { median, percentile, tally } from './latency.stats';
import type { OpenLoopSampler } from './open-loop.sampler';

/** One window's numbers: the measured route's p99 and what the flipped upstream's callers got meanwhile. */
export interface MeasuredWindow extends FlipWindow {
  /** Calls of the measured route sent in the window. */
  readonly calls: number;
  /** Their p99 latency in ms. */
  readonly p99: number;
  /** Statuses the flipped upstream's probe got in the window, e.g. `{ "503": 58, "504": 2 }`. */
  readonly flippedStatuses: Record<string, number>;
  /** The probe's median latency in the window, in ms (NaN without calls). */
  readonly flippedMs: number;
}

/** The outcome of an isolation run: every window, the median of each condition's p99s, and a printable report. */
export interface IsolationResult {
  readonly windows: readonly MeasuredWindow[];
  readonly medianP99: Readonly<Record<Condition, number>>;
  /**
   * The median over pairs of (hung window's p99 / p99 of the healthy window just before it): the same
   * comparison with each pair under the same machine load, so slow drifts in load cancel out.
   */
  readonly medianPairRatio: number;
  /** Per-window p99s, both medians and their ratio, settle times and the flipped upstream's statuses. */
  readonly report: string;
}

/**
 * Cuts `measuredRoute`'s and `flippedProbe`'s calls into `windows` and summarises them: each window's p99
 * on its own, then the median of those per condition, so no single noisy window decides.
 */
export function isolationResult(windows: readonly FlipWindow[], measuredRoute: OpenLoopSampler, flippedProbe: OpenLoopSampler): IsolationResult {
  const measured = windows.map((window): MeasuredWindow => {
    const calls = measuredRoute.between(window.from, window.to);
    // Only probes that also finished in the window: one sent just before a flip to healthy may be retried after it.
    const probes = flippedProbe.between(window.from, window.to).filter((call) => call.sentAt + call.ms <= window.to);
    return {
      ...window,
      calls: calls.length,
      p99: percentile(calls.map((call) => call.ms), 0.99),
      flippedStatuses: tally(probes.map((call) => call.status)),
      flippedMs: probes.length > 0 ? median(probes.map((call) => call.ms)) : Number.NaN,
    };
  });
  const of = (condition: Condition) => measured.filter((window) => window.condition === condition);
  const medianP99 = { healthy: median(of('healthy').map((w) => w.p99)), hung: median(of('hung').map((w) => w.p99)) };
  const healthy = of('healthy');
  const pairRatios = of('hung').map((hung, i) => hung.p99 / (healthy[i] as MeasuredWindow).p99);
  const medianPairRatio = median(pairRatios);
  const list = (condition: Condition, pick: (window: MeasuredWindow) => number) => of(condition).map((w) => Math.round(pick(w))).join(' ');
  const hungStatuses: Record<string, number> = {};
  for (const window of of('hung')) for (const [status, count] of Object.entries(window.flippedStatuses)) hungStatuses[status] = (hungStatuses[status] ?? 0) + count;
  const report = [
    `measured route p99 per window (ms), upstream healthy: ${list('healthy', (w) => w.p99)}; upstream hung: ${list('hung', (w) => w.p99)}`,
    `median p99 healthy ${medianP99.healthy.toFixed(1)} ms, hung ${medianP99.hung.toFixed(1)} ms, ratio ${(medianP99.hung / medianP99.healthy).toFixed(3)} over ${of('hung').length} pairs`,
    `hung/healthy p99 per pair: ${pairRatios.map((r) => r.toFixed(2)).join(' ')}; median ${medianPairRatio.toFixed(3)}`,
    `flip seen at the edge after (ms), healthy: ${list('healthy', (w) => w.settleMs)}; hung: ${list('hung', (w) => w.settleMs)}`,
    `flipped upstream's calls in hung windows: ${JSON.stringify(hungStatuses)}, median latency per window (ms): ${list('hung', (w) => w.flippedMs)}`,
    `flipped upstream's calls in healthy windows: ${of('healthy').map((w) => JSON.stringify(w.flippedStatuses)).join(' ')}`,
  ].join('\n');
  return { windows: measured, medianP99, medianPairRatio, report };
}
