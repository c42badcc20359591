// `npm run bench -- gateway`: req/s at 50 connections and p50 latency at 1 connection of the built gateway
// (user JWT against a cached JWKS, rate limit, static discovery + balancer, breaker) proxying to one
// node:http upstream, beside nginx, moleculer-web over its TCP transporter, a bare @fastify/reply-from
// proxy and the upstream directly. wrk runs on core 0, every server on core 1; targets are measured in
// interleaved rounds and the medians reported. `--help` lists the flags.
import { once } from 'node:events';
import { createServer } from 'node:http';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { startIdentity } from './lib/identity.mjs';
import { Processes } from './lib/processes.mjs';
import { markdown, summarise } from './lib/report.mjs';
import { ensureGatewayBuild, ensurePeers, ensureTools, machine, REPO, versions } from './lib/setup.mjs';
import { topSelfFrames } from './lib/stats.mjs';
import { detectGatewayMode, gatewayPlan, startDirect, startGateway, startMoleculerWeb, startNginx, startReplyFrom, startUndiciPipe, startUpstream } from './lib/targets.mjs';
import { runWrk, writeScript } from './lib/wrk.mjs';
import { BODY } from './servers/body.mjs';

const LOAD_CORE = 0;
const SERVER_CORE = 1;

const TARGETS = [
  { id: 'direct', label: 'upstream directly (node:http)' },
  { id: 'nginx', label: 'nginx reverse proxy (1 worker, upstream keep-alive)' },
  { id: 'moleculer-web', label: 'moleculer-web over the TCP transporter' },
  { id: 'reply-from', label: 'bare @fastify/reply-from' },
  { id: 'undici-pipe', label: 'bare node:http + undici Pool pipe' },
  { id: 'gateway', label: 'gateway, everything on (user JWT)' },
  { id: 'gateway-public', label: 'gateway, public route' },
  { id: 'gateway-trace-off', label: 'gateway, everything on, tracing off (OTEL_SDK_DISABLED)' },
  { id: 'gateway-trace-10', label: 'gateway, everything on, 10% of traces sampled, OTLP export' },
  { id: 'gateway-trace-100', label: 'gateway, everything on, every trace sampled, OTLP export' },
];

/** The tracing gateways: one process each, the same routes, only the tracing settings differ. */
const TRACING = {
  'gateway-trace-off': { OTEL_SDK_DISABLED: 'true' },
  'gateway-trace-10': { TRACES_SAMPLER_RATIO: '0.1', OTEL_TRACES_EXPORTER: 'otlp' },
  'gateway-trace-100': { TRACES_SAMPLER_RATIO: '1', OTEL_TRACES_EXPORTER: 'otlp' },
};

const USAGE = `Usage: npm run bench -- gateway [flags]   (or node bench/gateway/run.mjs [flags])
  --rounds N             interleaved rounds (default 3)
  --duration S           seconds per run at --connections (default 5)
  --latency-duration S   seconds per run at 1 connection (default 5)
  --warmup S             seconds of warm-up per target before the rounds (default 3)
  --connections N        connections of the throughput runs (default 50)
  --targets LIST         comma-separated, from: ${TARGETS.map((t) => t.id).join(', ')} (default all)
  --gateway-mode M       auto | routes-file | builtin (env BENCH_GATEWAY_MODE; default auto: routes-file
                         when the built gateway knows GATEWAY_ROUTES_FILE)
  --gateway-entry PATH   built gateway (env BENCH_GATEWAY_ENTRY; default dist/apps/gateway/src/main.js)
  --gateway-path P, --gateway-service S                 user route to hit and the service it names
  --gateway-public-path P, --gateway-public-service S   public route (env BENCH_GATEWAY_PATH, ...)
  --cpu-prof             also profile the gateway over one throughput run and print the top 15 self-time frames
  --no-pin               do not pin with taskset (default: pinned when the machine has 2+ cores)
  --out PATH             markdown written here too (default bench/gateway/last-run.md)`;

const positive = (name, value) => {
  const number = Number(value);
  if (!Number.isInteger(number) || number <= 0) throw new Error(`bench: --${name} must be a positive integer, got "${value}"`);
  return number;
};

/** The parsed flags, with env fallbacks for the gateway's route. */
export function options(argv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      rounds: { type: 'string', default: '3' },
      duration: { type: 'string', default: '5' },
      'latency-duration': { type: 'string', default: '5' },
      warmup: { type: 'string', default: '3' },
      connections: { type: 'string', default: '50' },
      targets: { type: 'string', default: TARGETS.map((t) => t.id).join(',') },
      'gateway-mode': { type: 'string', default: process.env['BENCH_GATEWAY_MODE'] ?? 'auto' },
      'gateway-entry': { type: 'string', default: process.env['BENCH_GATEWAY_ENTRY'] ?? join(REPO, 'dist/apps/gateway/src/main.js') },
      'gateway-path': { type: 'string', default: process.env['BENCH_GATEWAY_PATH'] },
      'gateway-service': { type: 'string', default: process.env['BENCH_GATEWAY_SERVICE'] },
      'gateway-public-path': { type: 'string', default: process.env['BENCH_GATEWAY_PUBLIC_PATH'] },
      'gateway-public-service': { type: 'string', default: process.env['BENCH_GATEWAY_PUBLIC_SERVICE'] },
      'cpu-prof': { type: 'boolean', default: false },
      'no-pin': { type: 'boolean', default: false },
      out: { type: 'string', default: join(REPO, 'bench/gateway/last-run.md') },
      help: { type: 'boolean', default: false },
    },
  });
  const ids = values.targets.split(',').map((id) => id.trim()).filter(Boolean);
  const unknown = ids.filter((id) => !TARGETS.some((t) => t.id === id));
  if (unknown.length > 0) throw new Error(`bench: unknown target(s) ${unknown.join(', ')}; known: ${TARGETS.map((t) => t.id).join(', ')}`);
  if (!['auto', 'routes-file', 'builtin'].includes(values['gateway-mode'])) throw new Error(`bench: --gateway-mode must be auto, routes-file or builtin, got "${values['gateway-mode']}"`);
  return {
    help: values.help,
    rounds: positive('rounds', values.rounds),
    duration: positive('duration', values.duration),
    latencyDuration: positive('latency-duration', values['latency-duration']),
    warmup: positive('warmup', values.warmup),
    connections: positive('connections', values.connections),
    targets: TARGETS.filter((t) => ids.includes(t.id)),
    gatewayMode: values['gateway-mode'],
    gatewayEntry: values['gateway-entry'],
    routeOverrides: {
      authPath: values['gateway-path'],
      authService: values['gateway-service'],
      publicPath: values['gateway-public-path'],
      publicService: values['gateway-public-service'],
    },
    cpuProf: values['cpu-prof'],
    pin: !values['no-pin'] && cpus().length >= 2,
    out: values.out,
  };
}

const fmt = (n) => Math.round(n).toLocaleString('en-US');
const rotate = (list, by) => list.map((_, i) => list[(i + by) % list.length]);

/** One wrk run against `endpoint`, printed as a progress line. */
async function measure(label, endpoint, run) {
  const result = await runWrk({ url: endpoint.url, script: endpoint.script, core: LOAD_CORE, ...run });
  const failed = result.status + result.connect + result.read + result.write + result.timeout;
  console.log(`  ${label.padEnd(32)} c=${String(run.connections).padEnd(3)} ${fmt(result.rps).padStart(8)} req/s  p50 ${fmt(result.p50).padStart(6)} µs  p99 ${fmt(result.p99).padStart(7)} µs${failed ? `  FAILED/non-2xx ${failed}` : ''}`);
  return result;
}

/** Starts the targets' servers; resolves with an endpoint (url, headers, wrk script) per target id. */
async function startTargets(opts, ctx) {
  const endpoints = new Map();
  const wanted = new Set(opts.targets.map((t) => t.id));
  const info = {};
  if (wanted.has('direct')) endpoints.set('direct', await startDirect(ctx));
  if (wanted.has('nginx')) endpoints.set('nginx', await startNginx({ ...ctx, nginx: ctx.nginx }));
  if (wanted.has('moleculer-web')) endpoints.set('moleculer-web', await startMoleculerWeb(ctx));
  if (wanted.has('reply-from')) endpoints.set('reply-from', await startReplyFrom(ctx));
  if (wanted.has('undici-pipe')) endpoints.set('undici-pipe', await startUndiciPipe(ctx));
  if (wanted.has('gateway') || wanted.has('gateway-public') || opts.cpuProf) {
    const gateway = await startGateway(ctx);
    endpoints.set('gateway', gateway.user);
    endpoints.set('gateway-public', gateway.open);
    info.rateLimitHeaders = gateway.rateLimitHeaders;
  }
  const tracing = Object.keys(TRACING).filter((id) => wanted.has(id));
  if (tracing.length > 0) {
    // A collector stand-in: takes every OTLP export and answers 200, so the gateways pay the whole
    // export (serialising and sending spans) but nothing is stored.
    const sink = (ctx.sink ??= await otlpSink());
    for (const id of tracing) {
      const gateway = await startGateway({ ...ctx, name: id, extraEnv: { ...TRACING[id], OTEL_EXPORTER_OTLP_ENDPOINT: sink.url } });
      endpoints.set(id, gateway.user);
    }
  }
  for (const [id, endpoint] of endpoints) endpoint.script = writeScript(ctx.dir, id, endpoint.headers);
  return { endpoints, info };
}

/** Profiles a second gateway over one warm-up and one throughput run; the top frames of the run. */
async function profileGateway(opts, ctx) {
  const profDir = join(ctx.dir, 'cpu-prof');
  mkdirSync(profDir, { recursive: true });
  console.log('\ncpu profile: starting a gateway under --cpu-prof');
  const gateway = await startGateway({ ...ctx, name: 'gateway-cpu-prof', nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${profDir}`] });
  const endpoint = { ...gateway.user, script: writeScript(ctx.dir, 'gateway-cpu-prof', gateway.user.headers) };
  await measure('warm-up gateway (profiled)', endpoint, { connections: opts.connections, seconds: opts.warmup, pin: opts.pin });
  const fromUs = Number(process.hrtime.bigint() / 1_000n);
  await measure('gateway (profiled)', endpoint, { connections: opts.connections, seconds: opts.duration, pin: opts.pin });
  const toUs = Number(process.hrtime.bigint() / 1_000n);
  await ctx.processes.stop(gateway.entry, 15_000);
  const file = readdirSync(profDir).find((name) => name.endsWith('.cpuprofile'));
  if (!file) throw new Error(`bench: the profiled gateway wrote no .cpuprofile in ${profDir} (did it exit cleanly on SIGTERM?)`);
  const raw = readFileSync(join(profDir, file), 'utf8');
  const kept = join(REPO, 'bench/gateway/last-run.cpuprofile');
  writeFileSync(kept, raw);
  console.log(`cpu profile: written to ${kept} (open it in Chrome DevTools > Performance)`);
  return topSelfFrames(JSON.parse(raw), 15, { fromUs, toUs });
}

/** An OTLP/HTTP endpoint in this process that reads every export and answers 200 (what a healthy collector does). */
async function otlpSink() {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    close: () => new Promise((done) => (server.closeAllConnections(), server.close(() => done()))),
  };
}

/** Runs the benchmark with `argv` (flags); `invokedAs` is the command shown in the report. */
export async function main(argv = process.argv.slice(2), invokedAs = 'node bench/gateway/run.mjs') {
  const opts = options(argv);
  if (opts.help) return void console.log(USAGE);
  const needsGateway = opts.targets.some((t) => t.id.startsWith('gateway')) || opts.cpuProf;
  const nginx = ensureTools({ pin: opts.pin, nginx: opts.targets.some((t) => t.id === 'nginx') });
  if (opts.targets.some((t) => t.id === 'moleculer-web' || t.id === 'reply-from')) ensurePeers();
  if (needsGateway) ensureGatewayBuild(opts.gatewayEntry);
  const mode = opts.gatewayMode === 'auto' ? detectGatewayMode(opts.gatewayEntry) : opts.gatewayMode;
  const plan = gatewayPlan(mode, opts.routeOverrides);

  const dir = mkdtempSync(join(tmpdir(), 'nestkit-bench-gateway-'));
  const processes = new Processes({ logDir: dir, pin: opts.pin });
  const identity = await startIdentity();
  const setup = {
    command: `${invokedAs}${argv.length ? ` ${argv.join(' ')}` : ''}`,
    date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
    machine: machine(),
    versions: versions(nginx),
    pinning: opts.pin ? `wrk (1 thread) on core ${LOAD_CORE}, every server on core ${SERVER_CORE} (taskset)` : 'none (fewer than 2 cores or --no-pin): load generator and servers share the cores',
    method: `${opts.rounds} interleaved rounds (start rotated each round) of ${opts.duration} s at ${opts.connections} connections, then ${opts.latencyDuration} s at 1 connection, per target, after a ${opts.warmup} s warm-up each; medians reported. Every target answers the same ${BODY.length}-byte JSON document from the same upstream (moleculer-web: from its service node)`,
    connections: opts.connections,
    gateway: [],
  };
  if (loadavg()[0] > 1) console.warn(`bench: load average ${loadavg()[0].toFixed(2)}: something else is running, expect noisy figures`);
  let failed = false;
  let ctx;
  try {
    ctx = { processes, dir, core: SERVER_CORE, node: process.execPath, nginx, entry: opts.gatewayEntry, plan, jwksUrl: identity.jwksUrl, token: await identity.userToken() };
    console.log(`bench: logs in ${dir}; gateway mode ${mode} (user route ${plan.authPath}, public ${plan.publicPath})`);
    ctx.upstreamPort = await startUpstream(ctx);
    const { endpoints, info } = await startTargets(opts, ctx);
    setup.gateway = needsGateway
      ? [
          `Gateway: \`node ${opts.gatewayEntry.replace(`${REPO}/`, '')}\`, mode \`${mode}\`, REGISTRY=static, LOG_LEVEL=warn, NODE_ENV unset (development), no AUTH_CLIENT_SECRET (no service token upstream)`,
          `Gateway user route: \`GET ${plan.authPath}\` (service \`${plan.authService}\`), Bearer access token (EdDSA) verified against a JWKS server of the harness (fetched once, cached); breaker and round-robin balancer of the http-client on; ${plan.rateLimit ? `rate limit in the routes file (headers seen: ${info.rateLimitHeaders?.join(', ') || 'none'})` : 'rate limit: not in this gateway build (builtin mode)'}`,
          `Gateway public route: \`GET ${plan.publicPath}\` (service \`${plan.publicService}\`), no token${plan.rateLimit ? ', no rate limit' : ''}`,
        ]
      : [];

    console.log(`\nwarm-up (${opts.warmup} s each)`);
    for (const target of opts.targets) await measure(target.label, endpoints.get(target.id), { connections: opts.connections, seconds: opts.warmup, pin: opts.pin });

    const runs = new Map(opts.targets.map((t) => [t.id, { load: [], latency: [] }]));
    for (let round = 0; round < opts.rounds; round += 1) {
      const order = rotate(opts.targets, round);
      console.log(`\nround ${round + 1}/${opts.rounds}: ${opts.connections} connections`);
      for (const target of order) runs.get(target.id).load.push(await measure(target.label, endpoints.get(target.id), { connections: opts.connections, seconds: opts.duration, pin: opts.pin }));
      console.log(`round ${round + 1}/${opts.rounds}: 1 connection`);
      for (const target of order) runs.get(target.id).latency.push(await measure(target.label, endpoints.get(target.id), { connections: 1, seconds: opts.latencyDuration, pin: opts.pin }));
    }
    const profile = opts.cpuProf ? await profileGateway(opts, ctx) : undefined;
    const report = markdown(setup, summarise(opts.targets, runs), profile);
    console.log(`\n${report}`);
    writeFileSync(opts.out, report);
    console.log(`bench: written to ${opts.out}`);
  } catch (error) {
    failed = true;
    throw error;
  } finally {
    await processes.stopAll();
    await identity.close();
    await ctx?.sink?.close();
    if (failed) console.error(`bench: server logs kept in ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
