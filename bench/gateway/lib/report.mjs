// Turns the rounds into the markdown section bench/RESULTS.md takes: setup, one table, the targets.
import { checkTargets, checkTracingTargets, median } from './stats.mjs';

const int = (value) => (Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : '-');
const us = (value) => (Number.isFinite(value) ? `${Math.round(value).toLocaleString('en-US')} µs` : '-');
const ratio = (a, b) => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${(a / b).toFixed(2)}x` : '-');

/**
 * Medians per target over the rounds.
 * @param {{ id: string, label: string }[]} targets
 * @param {Map<string, { load: object[], latency: object[] }>} runs
 */
export function summarise(targets, runs) {
  return targets.map((target) => {
    const { load = [], latency = [] } = runs.get(target.id) ?? {};
    const failures = (list) => list.reduce((sum, run) => sum + run.status + run.connect + run.read + run.write + run.timeout, 0);
    return {
      ...target,
      rps: median(load.map((run) => run.rps)),
      rounds: load.map((run) => run.rps),
      p99Loaded: median(load.map((run) => run.p99)),
      p50: median(latency.map((run) => run.p50)),
      p99: median(latency.map((run) => run.p99)),
      failures: failures(load) + failures(latency),
      requests: [...load, ...latency].reduce((sum, run) => sum + run.requests, 0),
    };
  });
}

/**
 * The markdown of one run.
 * @param {{ command: string, date: string, machine: string, versions: string, pinning: string, method: string,
 *   gateway: string[], connections: number }} setup
 * @param {ReturnType<typeof summarise>} rows
 * @param {{ frames: { frame: string, selfMs: number, percent: number }[], totalMs: number, windowed: boolean } | undefined} profile
 */
export function markdown(setup, rows, profile) {
  const by = Object.fromEntries(rows.map((row) => [row.id, row]));
  const direct = by['direct'];
  const nginx = by['nginx'];
  const moleculer = by['moleculer-web'];
  const lines = [
    '## gateway (bench/gateway)',
    '',
    `- Command: \`${setup.command}\``,
    `- Date: ${setup.date}`,
    `- Machine: ${setup.machine}`,
    `- Versions: ${setup.versions}`,
    `- Pinning: ${setup.pinning}`,
    `- Method: ${setup.method}`,
    ...setup.gateway.map((line) => `- ${line}`),
    '',
    `| target | req/s at ${setup.connections} conns (median) | each round | vs nginx | vs moleculer-web | p99 at ${setup.connections} conns | p50 at 1 conn | p50 added over direct | failed or non-2xx |`,
    '| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map((row) =>
      [
        row.label,
        int(row.rps),
        row.rounds.map(int).join(' / '),
        ratio(row.rps, nginx?.rps),
        ratio(row.rps, moleculer?.rps),
        us(row.p99Loaded),
        us(row.p50),
        row.id === 'direct' ? '' : us(row.p50 - (direct?.p50 ?? Number.NaN)),
        `${int(row.failures)} of ${int(row.requests)}`,
      ],
    ).map((cells) => `| ${cells.join(' | ')} |`),
  ];
  const gateway = by['gateway'];
  if (gateway) {
    lines.push('', '### Targets (gateway, everything on)', '', '| target | measured | verdict |', '| --- | ---: | --- |');
    const checks = checkTargets({ gatewayRps: gateway.rps, nginxRps: nginx?.rps, moleculerRps: moleculer?.rps, gatewayP50Us: gateway.p50, directP50Us: direct?.p50 });
    for (const check of checks) lines.push(`| ${check.target} | ${check.shown} | ${check.verdict} |`);
  }
  if (by['gateway-trace-off'] || by['gateway-trace-10'] || by['gateway-trace-100']) {
    lines.push('', '### Targets (tracing: the user route, exporting over OTLP/HTTP to a sink of the harness)', '', '| target | measured | verdict |', '| --- | ---: | --- |');
    const checks = checkTracingTargets({ offRps: by['gateway-trace-off']?.rps, at10Rps: by['gateway-trace-10']?.rps, at100Rps: by['gateway-trace-100']?.rps });
    for (const check of checks) lines.push(`| ${check.target} | ${check.shown} | ${check.verdict} |`);
  }
  if (profile) {
    lines.push(
      '',
      `### Gateway CPU profile (one ${setup.connections}-connection round, user route; top self time, ${profile.windowed ? 'samples of the measured round only' : 'whole process lifetime, boot included'}, ${int(profile.totalMs)} ms sampled)`,
      '',
      '| self ms | self % | frame |',
      '| ---: | ---: | --- |',
      ...profile.frames.map((frame) => `| ${int(frame.selfMs)} | ${frame.percent.toFixed(1)} | \`${frame.frame.replaceAll('|', '\\|')}\` |`),
    );
  }
  return `${lines.join('\n')}\n`;
}
