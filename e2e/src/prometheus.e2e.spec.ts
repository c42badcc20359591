import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { infraUrls, OtlpReceiver, waitFor } from '@nestkit/testing';
import { call } from './http';
import { PlatformProcess } from './platform-process';

const prometheus = infraUrls().prometheusUrl;
const repoRoot = resolve(__dirname, '../..');
const SERVICES = ['gateway', 'identity', 'catalog', 'orders', 'notifications'];
/** Requests sent to one gateway route; Prometheus must count exactly these. */
const N = 37;

interface PromSample {
  metric: Record<string, string>;
  value: [number, string];
}

async function promGet<T>(path: string): Promise<T> {
  const response = await fetch(`${prometheus}${path}`, { signal: AbortSignal.timeout(5_000) });
  const body = (await response.json()) as { status: string; data: T; error?: string };
  if (!response.ok || body.status !== 'success') throw new Error(`GET ${prometheus}${path} answered ${response.status}: ${body.error ?? JSON.stringify(body)}`);
  return body.data;
}

const query = (promql: string) => promGet<{ resultType: string; result: PromSample[] }>(`/api/v1/query?${new URLSearchParams({ query: promql })}`).then((d) => d.result);

/** Seconds in a Prometheus duration such as `1s`, `500ms`, `15s`, `1m`. */
function seconds(duration: string | undefined): number {
  const m = /^(\d+)(ms|s|m)$/.exec(duration ?? '');
  if (!m) return 15;
  return Number(m[1]) * { ms: 0.001, s: 1, m: 60 }[m[2] as 'ms' | 's' | 'm'];
}

/**
 * Where this Prometheus reads file_sd targets: NESTKIT_PROMETHEUS_TARGETS_DIR, else the folder of the
 * `*.json` glob in its loaded config (absolute there), so it works for any NESTKIT_INFRA_DIR.
 */
async function targetsDir(config: string): Promise<string> {
  if (process.env['NESTKIT_PROMETHEUS_TARGETS_DIR']) return process.env['NESTKIT_PROMETHEUS_TARGETS_DIR'];
  const glob = /^\s*-\s*(\/\S*)\/\*\.json\s*$/m.exec(config);
  if (!glob) throw new Error(`no file_sd "<dir>/*.json" in the config of ${prometheus} (/api/v1/status/config); set NESTKIT_PROMETHEUS_TARGETS_DIR`);
  return glob[1];
}

/** Metrics of every app scraped by a real Prometheus (scripts/infra/prometheus.sh) through file_sd targets, and checked against deploy/observability. */
describe('metrics in Prometheus (embedded defaults)', () => {
  const run = `e2e-${randomUUID().slice(0, 8)}`;
  const files: string[] = [];
  let receiver: OtlpReceiver;
  let platform: PlatformProcess;
  let apps: Record<string, string>;
  let interval: number;

  beforeAll(async () => {
    const ready = await fetch(`${prometheus}/-/ready`, { signal: AbortSignal.timeout(5_000) }).catch((error: Error) => error);
    if (ready instanceof Error || !ready.ok) {
      throw new Error(`Prometheus is not reachable at ${prometheus} (${ready instanceof Error ? ready.message : `GET /-/ready: ${ready.status}`}): start it with \`bash scripts/infra/up.sh prometheus\` or set PROMETHEUS_URL`);
    }
    const config = (await promGet<{ yaml: string }>('/api/v1/status/config')).yaml;
    interval = seconds(/^ {2}scrape_interval: (\S+)/m.exec(config)?.[1]);
    const dir = await targetsDir(config);

    // Spans go to an in-test receiver: with an exporter configured the apps export the span metrics
    // (nestkit_trace_*) that the dashboards and rules use, and the gateway's exemplars carry trace ids.
    receiver = await OtlpReceiver.start();
    platform = await PlatformProcess.start({ OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_BSP_SCHEDULE_DELAY: '100' });
    // `<service> ready at http://127.0.0.1:PORT (pid N, ...)`: each app serves /metrics on its own port.
    apps = Object.fromEntries([...platform.logs.matchAll(/^(\w+) ready at (http:\/\/\S+) \(pid/gm)].map((m) => [m[1], m[2]]));
    apps['gateway'] = platform.url;
    expect(Object.keys(apps).sort()).toEqual([...SERVICES].sort());

    // One file_sd file per app, unique to this run, written atomically (Prometheus only reads *.json).
    for (const service of SERVICES) {
      const file = join(dir, `${run}-${service}.json`);
      const tmp = join(dirname(file), `.${run}-${service}.tmp`);
      writeFileSync(tmp, JSON.stringify([{ targets: [new URL(apps[service]).host], labels: { job: service, e2e_run: run } }], null, 2));
      renameSync(tmp, file);
      files.push(file);
    }
  });

  afterAll(async () => {
    for (const file of files) rmSync(file, { force: true });
    if (platform) expect(await platform.stop()).toBe(0);
    await receiver?.stop();
  });

  it('scrapes every app from its file_sd target, and counts exactly the N requests sent to one gateway route', async () => {
    // Targets are found (file_sd notices new files at once; its refresh is the fallback) and scraped.
    const budget = Math.max(30_000, (4 * interval + 10) * 1000);
    const up = await waitFor(
      async () => {
        const result = await query(`up{e2e_run="${run}"}`);
        return result.length === SERVICES.length && result.every((s) => s.value[1] === '1') ? result : undefined;
      },
      { what: `up == 1 for the ${SERVICES.length} targets of run ${run} in ${prometheus} (file_sd files in ${dirname(files[0])})`, timeoutMs: budget, intervalMs: 250 },
    );
    expect(up.map((s) => s.metric['job']).sort()).toEqual([...SERVICES].sort());
    expect(Object.fromEntries(up.map((s) => [s.metric['job'], s.metric['instance']]))).toEqual(Object.fromEntries(SERVICES.map((s) => [s, new URL(apps[s]).host])));

    for (let i = 0; i < N; i++) expect((await call(`${platform.url}/api/catalog/products/p-mouse`)).status).toBe(200);

    // The gateway labels its RED metrics by route id ("GET /api/catalog/products/:id").
    const selector = `http_server_request_duration_seconds_count{job="gateway",e2e_run="${run}",route=~".*products.*"}`;
    const counted = await waitFor(
      async () => {
        const [sample] = await query(`sum(${selector})`);
        const value = sample ? Number(sample.value[1]) : 0;
        return value >= N ? value : undefined;
      },
      { what: `sum(${selector}) to reach ${N} in ${prometheus}`, timeoutMs: budget, intervalMs: 250 },
    );
    expect(counted).toBe(N);
    const series = await query(selector);
    expect(series.map((s) => [s.metric['route'], s.metric['method'], s.metric['status_code'], s.value[1]])).toEqual([['GET /api/catalog/products/:id', 'GET', '200', String(N)]]);

    // The rules of deploy/observability are loaded (copied next to the config by prometheus.sh).
    const groups = (await promGet<{ groups: { name: string; rules: { name: string }[] }[] }>('/api/v1/rules')).groups;
    expect(groups.flatMap((g) => g.rules.map((r) => r.name))).toEqual(expect.arrayContaining(['ServiceDown', 'HighErrorRate']));
  });

  it('stores the exemplars of the gateway histogram: trace ids of spans the gateway exported', async () => {
    const bucket = `http_server_request_duration_seconds_bucket{job="gateway",e2e_run="${run}"}`;
    const exemplars = await waitFor(
      async () => {
        const params = new URLSearchParams({ query: bucket, start: String(Date.now() / 1000 - 600), end: String(Date.now() / 1000 + 60) });
        const found = (await promGet<{ exemplars: { labels: Record<string, string> }[] }[]>(`/api/v1/query_exemplars?${params}`)).flatMap((s) => s.exemplars);
        return found.length > 0 ? found : undefined;
      },
      { what: `exemplars of ${bucket} in ${prometheus} (needs --enable-feature=exemplar-storage)`, timeoutMs: 30_000, intervalMs: 250 },
    );
    const traceIds = exemplars.map((e) => e.labels['trace_id']);
    expect(traceIds.every((id) => /^[0-9a-f]{32}$/.test(id ?? ''))).toBe(true);
    await waitFor(async () => receiver.spans.some((s) => s.service === 'gateway' && traceIds.includes(s.traceId)), {
      what: `a gateway span of one of the exemplars' traces (${traceIds.slice(0, 3).join(', ')}...) at the OTLP receiver`,
      timeoutMs: 10_000,
      intervalMs: 100,
    });
  });

  it('scripts/check-observability.mjs finds every metric the dashboards and rules use in the live /metrics', async () => {
    const args = SERVICES.flatMap((s) => ['--metrics-url', `${apps[s]}/metrics`]);
    // Async: a blocking spawn would stall the platform's piped output meanwhile.
    const result = await promisify(execFile)(process.execPath, [join(repoRoot, 'scripts/check-observability.mjs'), ...args], { cwd: repoRoot, timeout: 60_000 }).then(
      ({ stdout }) => ({ code: 0, output: stdout }),
      (error: { code?: number; stdout?: string; stderr?: string }) => ({ code: error.code ?? 1, output: `${error.stdout ?? ''}${error.stderr ?? ''}` }),
    );
    expect(result.code, result.output).toBe(0);
    expect(result.output).toMatch(/check-observability: OK/);
  });
});
