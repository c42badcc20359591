// Pure helpers of the benchmark: medians over rounds, the targets, and the top self-time frames
// of a V8 .cpuprofile. No I/O here, so bench/gateway/test/stats.test.mjs checks them directly.

/** The median of `values` (mean of the middle two for an even count); NaN for none. */
export function median(values) {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** The acceptance targets for the gateway with everything on. */
export const TARGETS = Object.freeze({ vsNginx: 0.45, vsMoleculerWeb: 1.5, addedP50Us: 400 });

/** Issue 11's targets: the gateway's req/s with tracing at 10% and 100% sampling, as a share of tracing off. */
export const TRACING_TARGETS = Object.freeze({ at10: 0.85, at100: 0.6 });

/**
 * Checks the tracing runs against {@link TRACING_TARGETS}: `offRps`, `at10Rps`, `at100Rps` are the
 * medians of the three gateways (same route, everything on), measured interleaved in one run.
 * @param {{ offRps?: number, at10Rps?: number, at100Rps?: number }} m
 */
export function checkTracingTargets(m) {
  const share = (rps) => (Number.isFinite(rps) && rps > 0 && Number.isFinite(m.offRps) && m.offRps > 0 ? rps / m.offRps : undefined);
  return [
    ['10%', share(m.at10Rps), TRACING_TARGETS.at10],
    ['100%', share(m.at100Rps), TRACING_TARGETS.at100],
  ].map(([at, value, target]) => ({
    target: `req/s at ${at} sampling >= ${target}x tracing off`,
    value,
    shown: value === undefined ? '-' : `${value.toFixed(2)}x`,
    verdict: value === undefined ? 'not measured' : value >= target ? 'met' : 'missed',
  }));
}

/**
 * Checks the gateway's medians against {@link TARGETS}. Each check is `met`, `missed`, or `not measured`
 * when a figure it needs is absent (that target was not run).
 * @param {{ gatewayRps?: number, nginxRps?: number, moleculerRps?: number, gatewayP50Us?: number, directP50Us?: number }} m
 */
export function checkTargets(m) {
  const known = (...values) => values.every((value) => Number.isFinite(value) && value > 0);
  const verdict = (ok) => (ok ? 'met' : 'missed');
  const vsNginx = known(m.gatewayRps, m.nginxRps) ? m.gatewayRps / m.nginxRps : undefined;
  const vsMoleculer = known(m.gatewayRps, m.moleculerRps) ? m.gatewayRps / m.moleculerRps : undefined;
  const added = known(m.gatewayP50Us, m.directP50Us) ? m.gatewayP50Us - m.directP50Us : undefined;
  return [
    { target: `req/s >= ${TARGETS.vsNginx}x nginx`, value: vsNginx, shown: vsNginx === undefined ? '-' : `${vsNginx.toFixed(2)}x`, verdict: vsNginx === undefined ? 'not measured' : verdict(vsNginx >= TARGETS.vsNginx) },
    { target: `req/s >= ${TARGETS.vsMoleculerWeb}x moleculer-web`, value: vsMoleculer, shown: vsMoleculer === undefined ? '-' : `${vsMoleculer.toFixed(2)}x`, verdict: vsMoleculer === undefined ? 'not measured' : verdict(vsMoleculer >= TARGETS.vsMoleculerWeb) },
    { target: `p50 added at 1 connection <= ${TARGETS.addedP50Us} µs over direct`, value: added, shown: added === undefined ? '-' : `${Math.round(added)} µs`, verdict: added === undefined ? 'not measured' : verdict(added <= TARGETS.addedP50Us) },
  ];
}

/** Samples of a profile whose timestamp falls in [fromUs, toUs] (V8 monotonic µs); all when no window. */
function sampleTimes(profile, window) {
  const { samples = [], timeDeltas = [] } = profile;
  const out = [];
  let at = profile.startTime;
  for (let i = 0; i < samples.length; i += 1) {
    at += timeDeltas[i] ?? 0;
    // The delta to the next sample is the time this sample stands for.
    const weight = timeDeltas[i + 1] ?? 0;
    if (!window || (at >= window.fromUs && at <= window.toUs)) out.push([samples[i], weight]);
  }
  return out;
}

/**
 * The `limit` frames with the most self time in a V8 `.cpuprofile`, merged by function, file and line,
 * as [{ selfMs, percent, frame }]. With `window` ({ fromUs, toUs } on the profiled process's monotonic
 * clock) only samples inside it count, so the boot is left out; when no sample falls inside, all count
 * and `windowed` is false.
 */
export function topSelfFrames(profile, limit = 15, window) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  let samples = sampleTimes(profile, window);
  let windowed = Boolean(window);
  if (samples.length === 0 && window) {
    samples = sampleTimes(profile, undefined);
    windowed = false;
  }
  const selfUs = new Map();
  let totalUs = 0;
  for (const [id, weight] of samples) {
    const frame = frameName(byId.get(id)?.callFrame);
    selfUs.set(frame, (selfUs.get(frame) ?? 0) + weight);
    totalUs += weight;
  }
  const frames = [...selfUs.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([frame, us]) => ({ frame, selfMs: us / 1_000, percent: totalUs > 0 ? (100 * us) / totalUs : 0 }));
  return { frames, totalMs: totalUs / 1_000, windowed };
}

/** `name (file:line)`, with the file relative to the repo or node_modules, for a profile call frame. */
export function frameName(callFrame) {
  if (!callFrame) return '(unknown)';
  const name = callFrame.functionName || '(anonymous)';
  if (!callFrame.url) return name;
  const url = callFrame.url.replace(/^file:\/\//, '');
  const short = url.includes('/node_modules/') ? url.slice(url.lastIndexOf('/node_modules/') + '/node_modules/'.length) : url.replace(/^.*?\/(dist|bench|libs|apps)\//, '$1/');
  return `${name} (${short}:${callFrame.lineNumber + 1})`;
}
