// Checks deploy/observability: the Prometheus config and alert rules (promtool check config / check
// rules / test rules), then every metric name the rules and the Grafana dashboards use against the names
// the apps export (EXPORTED below), so a renamed metric or a typo shows up here, not as an empty panel
// or an alert that can never fire.
//
//   node scripts/check-observability.mjs [--metrics-url <url>...] [--dir <path>]
//
// --dir: check another copy of deploy/observability (default: the repo's).
// --metrics-url: scrape those /metrics URLs (running services) and also require every metric used
// (except planned ones and Prometheus's own `up`) to appear in at least one of them.
//
// Metrics the apps do not export yet may be used in alert rules only, each marked inside the
// expression with a PromQL comment `# planned metric: <name>` (and listed in PLANNED below).
// promtool comes from PROMTOOL, else `scripts/infra/prometheus.sh path` (install it with
// `bash scripts/infra/prometheus.sh install`). Exits 1 naming every problem found.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { repoRoot } from './lib/workspace-paths.mjs';

const USAGE = 'usage: node scripts/check-observability.mjs [--metrics-url <url>...] [--dir <deploy/observability>]';
const { urls, dir } = parseCli(process.argv.slice(2));
const OBS = resolve(dir ?? join(repoRoot, 'deploy/observability'));
const PROM_CONFIG = join(OBS, 'prometheus/prometheus.yml');
const RULES_DIR = join(OBS, 'prometheus/rules');
const RULE_TESTS_DIR = join(OBS, 'prometheus/tests');
const DASHBOARDS_DIR = join(OBS, 'grafana/dashboards');
const DATASOURCE_UID = 'prometheus';
const SCHEMA_VERSION = 39;

/** Metrics the apps record (@nestkit/metrics, prom-client), by name as stored in Prometheus. */
const APP_METRICS = {
  http_server_request_duration_seconds: 'histogram',
  http_client_request_duration_seconds: 'histogram',
  nestkit_messages_published_total: 'counter',
  nestkit_messages_publish_failed_total: 'counter',
  nestkit_messages_consumed_total: 'counter',
  nestkit_message_handler_duration_seconds: 'histogram',
  nestkit_trace_spans_exported_total: 'counter',
  nestkit_trace_spans_dropped_total: 'counter',
  nestkit_trace_span_queue_size: 'gauge',
  nestkit_trace_span_queue_capacity: 'gauge',
  nestkit_circuit_breaker_state: 'gauge',
  nestkit_circuit_breaker_transitions_total: 'counter',
  nestkit_retries_total: 'counter',
  nestkit_retry_budget_exhausted_total: 'counter',
  nestkit_bulkhead_rejected_total: 'counter',
  nestkit_adaptive_limit_rejected_total: 'counter',
  nestkit_attempt_timeouts_total: 'counter',
  nestkit_hedges_total: 'counter',
  nestkit_hedges_won_total: 'counter',
  nestkit_fallbacks_total: 'counter',
  nestkit_bulkhead_in_flight: 'gauge',
  nestkit_bulkhead_queued: 'gauge',
  nestkit_adaptive_limit: 'gauge',
  nestkit_adaptive_limit_in_flight: 'gauge',
  nestkit_registry_instances: 'gauge',
  nestkit_outlier_ejected_instances: 'gauge',
  nestkit_outbox_backlog: 'gauge',
  nestkit_outbox_oldest_age_seconds: 'gauge',
  nestkit_saga_outcomes_total: 'counter',
  nestkit_login_throttled_total: 'counter',
};

/** prom-client 15's default metrics (collectDefaultMetrics), which every app exports. */
const NODE_METRICS = {
  process_cpu_user_seconds_total: 'counter',
  process_cpu_system_seconds_total: 'counter',
  process_cpu_seconds_total: 'counter',
  process_start_time_seconds: 'gauge',
  process_resident_memory_bytes: 'gauge',
  process_virtual_memory_bytes: 'gauge',
  process_heap_bytes: 'gauge',
  process_open_fds: 'gauge',
  process_max_fds: 'gauge',
  nodejs_eventloop_lag_seconds: 'gauge',
  nodejs_eventloop_lag_min_seconds: 'gauge',
  nodejs_eventloop_lag_max_seconds: 'gauge',
  nodejs_eventloop_lag_mean_seconds: 'gauge',
  nodejs_eventloop_lag_stddev_seconds: 'gauge',
  nodejs_eventloop_lag_p50_seconds: 'gauge',
  nodejs_eventloop_lag_p90_seconds: 'gauge',
  nodejs_eventloop_lag_p99_seconds: 'gauge',
  nodejs_active_resources: 'gauge',
  nodejs_active_resources_total: 'gauge',
  nodejs_active_handles: 'gauge',
  nodejs_active_handles_total: 'gauge',
  nodejs_active_requests: 'gauge',
  nodejs_active_requests_total: 'gauge',
  nodejs_heap_size_total_bytes: 'gauge',
  nodejs_heap_size_used_bytes: 'gauge',
  nodejs_external_memory_bytes: 'gauge',
  nodejs_heap_space_size_total_bytes: 'gauge',
  nodejs_heap_space_size_used_bytes: 'gauge',
  nodejs_heap_space_size_available_bytes: 'gauge',
  nodejs_version_info: 'gauge',
  nodejs_gc_duration_seconds: 'histogram',
};
/** prom-client reports these on Linux only (read from /proc). */
const LINUX_ONLY = new Set(['process_virtual_memory_bytes', 'process_heap_bytes', 'process_open_fds', 'process_max_fds']);

/** Series Prometheus adds to every scrape itself: never in a /metrics answer. */
const PROMETHEUS_METRICS = { up: 'gauge' };

/** Metrics the apps will export later: allowed in alert rules only, marked `# planned metric: <name>`. */
const PLANNED = {
  nestkit_dead_letter_depth: 'gauge',
  nestkit_kafka_consumer_lag: 'gauge',
};

const EXPORTED = { ...APP_METRICS, ...NODE_METRICS, ...PROMETHEUS_METRICS };
const HISTOGRAM_SUFFIX = /_(bucket|sum|count)$/;

const problems = [];
const problem = (message) => problems.push(message);
const rel = (path) => (path.startsWith(`${repoRoot}/`) ? relative(repoRoot, path) : path);

// ------------------------------------------------------------------------------------------------
// PromQL: metric names used by an expression

const PROMQL_KEYWORDS = new Set(['and', 'or', 'unless', 'bool', 'offset', 'inf', 'nan']);
const LABEL_LIST_KEYWORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right']);
const AGGREGATIONS = new Set(['sum', 'min', 'max', 'avg', 'group', 'stddev', 'stdvar', 'count', 'count_values', 'bottomk', 'topk', 'quantile', 'limitk', 'limit_ratio']);

/**
 * Tokens of a PromQL expression (Grafana variables such as `$job`, `${job}` or `[[job]]` included);
 * `#` comments are returned apart.
 */
function tokenize(expr) {
  const tokens = [];
  const comments = [];
  let i = 0;
  while (i < expr.length) {
    const c = expr[i];
    if (/\s/.test(c)) {
      i++;
    } else if (c === '#') {
      const end = expr.indexOf('\n', i);
      comments.push(expr.slice(i, end === -1 ? expr.length : end));
      i = end === -1 ? expr.length : end;
    } else if (c === '"' || c === "'" || c === '`') {
      let j = i + 1;
      let value = '';
      while (j < expr.length && expr[j] !== c) {
        if (expr[j] === '\\' && c !== '`') j++;
        value += expr[j] ?? '';
        j++;
      }
      tokens.push({ kind: 'string', value });
      // Grafana substitutes variables inside strings too: {job="$job"}, {instance=~"${instance:regex}"}
      for (const m of value.matchAll(/\$\{(\w+)[^}]*\}|\$(\w+)|\[\[(\w+)[^\]]*\]\]/g)) tokens.push({ kind: 'var', value: m[1] ?? m[2] ?? m[3] });
      i = j + 1;
    } else if (c === '$') {
      const m = /^\$(\{[^}]*\}|\w+)/.exec(expr.slice(i));
      const raw = m ? m[0] : '$';
      tokens.push({ kind: 'var', value: raw.replace(/^\$\{?/, '').replace(/\}$/, '').split(/[:.]/)[0] });
      i += raw.length;
    } else if (expr.startsWith('[[', i)) {
      const end = expr.indexOf(']]', i);
      tokens.push({ kind: 'var', value: expr.slice(i + 2, end === -1 ? expr.length : end).split(':')[0] });
      i = end === -1 ? expr.length : end + 2;
    } else if (/[A-Za-z_:]/.test(c)) {
      const m = /^[A-Za-z_:][A-Za-z0-9_:]*/.exec(expr.slice(i));
      tokens.push({ kind: 'ident', value: m[0] });
      i += m[0].length;
    } else if (/[0-9.]/.test(c)) {
      const m = /^(0x[0-9a-fA-F]+|[0-9.]+(?:[eE][+-]?[0-9]+)?(?:[a-zA-Z][0-9a-zA-Z]*)*)/.exec(expr.slice(i));
      tokens.push({ kind: 'number', value: m ? m[0] : c });
      i += m ? m[0].length : 1;
    } else {
      const op = /^(=~|!~|!=|==|>=|<=)/.exec(expr.slice(i));
      const value = op ? op[0] : c;
      tokens.push({ kind: 'punct', value });
      i += value.length;
    }
  }
  return { tokens, comments };
}

/** Metric names, Grafana variables and `#` comments of one PromQL expression. */
function analyzeExpr(expr) {
  const { tokens, comments } = tokenize(expr);
  const names = new Set();
  const variables = new Set(tokens.filter((t) => t.kind === 'var').map((t) => t.value));
  let braces = 0;
  let brackets = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    const next = tokens[i + 1];
    if (t.kind === 'punct') {
      if (t.value === '{') braces++;
      else if (t.value === '}') braces--;
      else if (t.value === '[') brackets++;
      else if (t.value === ']') brackets--;
      continue;
    }
    if (brackets > 0) continue; // ranges, subquery steps, $__rate_interval
    if (braces > 0) {
      // label matchers: only {__name__="metric"} names a metric
      if (t.kind === 'ident' && t.value === '__name__' && next?.value === '=' && tokens[i + 2]?.kind === 'string') names.add(tokens[i + 2].value);
      continue;
    }
    if (t.kind !== 'ident') continue;
    const lower = t.value.toLowerCase();
    if (LABEL_LIST_KEYWORDS.has(lower)) {
      if (next?.value === '(') {
        let depth = 0;
        for (i++; i < tokens.length; i++) {
          if (tokens[i].value === '(') depth++;
          else if (tokens[i].value === ')' && --depth === 0) break;
        }
      }
      continue;
    }
    if (PROMQL_KEYWORDS.has(lower)) continue;
    if (next?.value === '(') continue; // a function or an aggregation
    if (AGGREGATIONS.has(lower) && next?.kind === 'ident' && ['by', 'without'].includes(next.value.toLowerCase())) continue; // sum by (job) (...)
    names.add(t.value);
  }
  return { names, variables, comments };
}

/** The metric a Grafana query variable reads: `label_values(<selector>, label)`, `query_result(<expr>)`... */
function variableQueryExpr(query) {
  const q = (typeof query === 'string' ? query : (query?.query ?? '')).trim();
  let m = /^label_values\s*\(\s*([\s\S]*)\s*,\s*[A-Za-z_]\w*\s*\)$/.exec(q);
  if (m) return m[1];
  if (/^label_values\s*\(\s*[A-Za-z_]\w*\s*\)$/.test(q) || /^(label_names|metrics)\s*\(/.test(q)) return '';
  m = /^query_result\s*\(([\s\S]*)\)$/.exec(q);
  return m ? m[1] : q;
}

/** The name to look up: a histogram's `_bucket`/`_sum`/`_count` series count as the histogram. */
function baseName(name, types) {
  const base = name.replace(HISTOGRAM_SUFFIX, '');
  return base !== name && types[base] === 'histogram' ? base : name;
}

// ------------------------------------------------------------------------------------------------
// uses: metric name -> [{ where, planned }]

const uses = new Map();
function recordUse(name, where, planned) {
  if (!uses.has(name)) uses.set(name, []);
  uses.get(name).push({ where, planned });
}

const ALL_TYPES = { ...EXPORTED, ...PLANNED };

/** Validates the names of one expression; returns nothing, records uses and problems. */
function checkExprNames(expr, where, { allowPlanned, recorded }) {
  const { names, comments } = analyzeExpr(expr);
  const marked = new Set();
  for (const comment of comments) {
    const m = /planned metric\b:?\s*(.*)$/i.exec(comment);
    if (!m) continue;
    const listed = m[1].split(/[\s,(]+/).filter((word) => /^[A-Za-z_:][\w:]*$/.test(word) && word.includes('_'));
    if (listed.length === 0) problem(`${where}: "# planned metric" comment without a metric name (write "# planned metric: <name>")`);
    for (const name of listed) marked.add(name);
  }
  for (const name of marked) {
    if (!allowPlanned) problem(`${where}: planned metric ${name} is marked here, but planned metrics are allowed in alert rules only`);
    else if (!(name in PLANNED)) problem(`${where}: ${name} is marked "# planned metric" but is not in PLANNED (scripts/check-observability.mjs)`);
    if (![...names].some((used) => baseName(used, ALL_TYPES) === name)) problem(`${where}: marked "# planned metric: ${name}" but the expression does not use ${name}`);
  }
  for (const used of names) {
    const name = baseName(used, ALL_TYPES);
    if (name === used && ALL_TYPES[name] === 'histogram') {
      problem(`${where}: histogram ${name} used without _bucket, _sum or _count (those are its series)`);
      continue;
    }
    if (name in PLANNED) {
      if (!marked.has(name)) problem(`${where}: ${name} is not exported yet: mark it with "# planned metric: ${name}" (alert rules only) or use an exported metric`);
      recordUse(name, where, true);
    } else if (name in EXPORTED || recorded.has(name)) {
      recordUse(name, where, false);
    } else {
      problem(`${where}: unknown metric ${used}${used !== name ? ` (${name})` : ''}: not exported by the apps (EXPORTED in scripts/check-observability.mjs)`);
    }
  }
}

// ------------------------------------------------------------------------------------------------
// promtool

function findPromtool() {
  if (process.env.PROMTOOL) return process.env.PROMTOOL;
  const r = spawnSync('bash', [join(repoRoot, 'scripts/infra/prometheus.sh'), 'path'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

function promtool(bin, args) {
  const r = spawnSync(bin, args, { cwd: repoRoot, encoding: 'utf8' });
  const output = `${r.stdout ?? ''}${r.stderr ?? ''}`.trimEnd();
  console.log(`$ promtool ${args.map((a) => (a.startsWith('/') ? rel(a) : a)).join(' ')}`);
  if (output) console.log(output.replace(/^/gm, '  '));
  if (r.error) problem(`promtool ${args[0]} ${args[1]}: ${r.error.message}`);
  else if (r.status !== 0) problem(`promtool ${args.join(' ')} failed (exit ${r.status})`);
}

const yamlFiles = (dir, suffix = '.yml') => (existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith(suffix)).sort().map((f) => join(dir, f)) : []);

function runPromtool() {
  console.log('== promtool');
  const bin = findPromtool();
  if (!bin) {
    problem('promtool not found: run `bash scripts/infra/prometheus.sh install` (or set PROMTOOL)');
    return;
  }
  const version = spawnSync(bin, ['--version'], { encoding: 'utf8' });
  console.log(`${bin}: ${`${version.stdout}${version.stderr}`.split('\n')[0]}`);
  promtool(bin, ['check', 'config', PROM_CONFIG]);
  const ruleFiles = yamlFiles(RULES_DIR);
  if (ruleFiles.length === 0) problem(`no rule files in ${rel(RULES_DIR)}`);
  else promtool(bin, ['check', 'rules', ...ruleFiles]);
  const tests = yamlFiles(RULE_TESTS_DIR, '.test.yml');
  if (tests.length > 0) promtool(bin, ['test', 'rules', ...tests]);
}

// ------------------------------------------------------------------------------------------------
// alert rules

const SEVERITIES = new Set(['critical', 'warning', 'info']);

function checkRules() {
  console.log('\n== alert rules');
  const files = yamlFiles(RULES_DIR);
  const parsed = [];
  const recorded = new Set();
  for (const file of files) {
    try {
      const doc = parseYaml(readFileSync(file, 'utf8'));
      for (const group of doc?.groups ?? []) for (const rule of group.rules ?? []) {
        parsed.push({ file, group: group.name, rule });
        if (rule.record) recorded.add(rule.record);
      }
    } catch (error) {
      problem(`${rel(file)}: cannot parse: ${error.message}`);
    }
  }
  const alertNames = new Set();
  for (const { file, group, rule } of parsed) {
    const name = rule.alert ?? rule.record;
    const where = `${rel(file)} ${group}/${name}`;
    if (typeof rule.expr !== 'string' || rule.expr.trim() === '') {
      problem(`${where}: no expr`);
      continue;
    }
    if (rule.alert) {
      if (alertNames.has(rule.alert)) problem(`${where}: alert name used twice`);
      alertNames.add(rule.alert);
      if (!SEVERITIES.has(rule.labels?.severity)) problem(`${where}: labels.severity must be one of ${[...SEVERITIES].join(', ')}`);
      for (const key of ['summary', 'description']) if (!rule.annotations?.[key]?.trim()) problem(`${where}: no annotations.${key}`);
    }
    checkExprNames(rule.expr, where, { allowPlanned: true, recorded });
    const { names } = analyzeExpr(rule.expr);
    const planned = [...names].map((n) => baseName(n, ALL_TYPES)).filter((n) => n in PLANNED);
    console.log(`${rule.alert ? 'alert' : 'record'} ${name} (${rule.labels?.severity ?? '-'}): ${[...names].join(', ')}${planned.length ? `  [planned: ${planned.join(', ')}]` : ''}`);
  }
  console.log(`${parsed.length} rules in ${files.map(rel).join(', ')}`);
  return recorded;
}

// ------------------------------------------------------------------------------------------------
// dashboards

const isPromDatasource = (ds) => ds && typeof ds === 'object' && ds.uid === DATASOURCE_UID && (ds.type === undefined || ds.type === 'prometheus');

function allPanels(panels) {
  return (panels ?? []).flatMap((p) => [p, ...allPanels(p.panels)]);
}

function checkDashboards(recorded) {
  console.log('\n== dashboards');
  const files = existsSync(DASHBOARDS_DIR) ? readdirSync(DASHBOARDS_DIR).filter((f) => f.endsWith('.json')).sort() : [];
  if (files.length === 0) problem(`no dashboards in ${rel(DASHBOARDS_DIR)}`);
  const uids = new Map();
  for (const file of files) {
    const path = join(DASHBOARDS_DIR, file);
    const where = rel(path);
    let d;
    try {
      d = JSON.parse(readFileSync(path, 'utf8'));
    } catch (error) {
      problem(`${where}: invalid JSON: ${error.message}`);
      continue;
    }
    if (d.schemaVersion !== SCHEMA_VERSION) problem(`${where}: schemaVersion ${d.schemaVersion}, expected ${SCHEMA_VERSION}`);
    if (!d.uid) problem(`${where}: no uid`);
    else if (uids.has(d.uid)) problem(`${where}: uid ${d.uid} is also the uid of ${uids.get(d.uid)}`);
    else uids.set(d.uid, where);
    if (!d.title) problem(`${where}: no title`);
    if (d.id !== null && d.id !== undefined) problem(`${where}: "id" must be null in a provisioned dashboard`);

    const variables = d.templating?.list ?? [];
    const defined = new Set(variables.map((v) => v.name));
    const usedVariables = new Set();
    let exprCount = 0;
    const check = (expr, at) => {
      exprCount++;
      checkExprNames(expr, at, { allowPlanned: false, recorded });
      for (const v of analyzeExpr(expr).variables) usedVariables.add(v);
    };
    for (const v of variables) {
      if (v.type !== 'query') continue;
      const at = `${where} variable $${v.name}`;
      if (!isPromDatasource(v.datasource)) problem(`${at}: datasource must be uid "${DATASOURCE_UID}"`);
      const expr = variableQueryExpr(v.query);
      if (expr) check(expr, at);
    }
    const ids = new Set();
    for (const panel of allPanels(d.panels)) {
      const at = `${where} panel ${panel.id} "${panel.title ?? ''}"`;
      if (ids.has(panel.id)) problem(`${at}: panel id used twice`);
      ids.add(panel.id);
      if (!panel.gridPos) problem(`${at}: no gridPos`);
      if (panel.type === 'row') continue;
      const targets = panel.targets ?? [];
      if (targets.length > 0 && !isPromDatasource(panel.datasource)) problem(`${at}: datasource must be uid "${DATASOURCE_UID}"`);
      for (const t of targets) {
        if (!isPromDatasource(t.datasource ?? panel.datasource)) problem(`${at} query ${t.refId}: datasource must be uid "${DATASOURCE_UID}"`);
        if (!t.refId) problem(`${at}: a query has no refId`);
        if (typeof t.expr !== 'string' || !t.expr.trim()) problem(`${at} query ${t.refId}: no expr`);
        else check(t.expr, `${at} query ${t.refId}`);
      }
    }
    for (const annotation of d.annotations?.list ?? []) if (typeof annotation.expr === 'string' && annotation.expr.trim()) check(annotation.expr, `${where} annotation "${annotation.name}"`);
    for (const v of usedVariables) if (!v.startsWith('__') && !defined.has(v)) problem(`${where}: uses $${v}, which is not a template variable of the dashboard`);
    console.log(`${file}: "${d.title}" (uid ${d.uid}), ${ids.size} panels, ${exprCount} queries, variables: ${[...defined].map((v) => `$${v}`).join(' ') || 'none'}`);
  }
  const service = join(DASHBOARDS_DIR, 'service.json');
  if (existsSync(service)) {
    try {
      if (!(JSON.parse(readFileSync(service, 'utf8')).templating?.list ?? []).some((v) => v.name === 'job')) problem(`${rel(service)}: no $job template variable`);
    } catch {
      // reported above
    }
  }
}

// ------------------------------------------------------------------------------------------------
// the exported list against the code

function sourceFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true })
    .filter((f) => f.endsWith('.ts') && !/\.(spec|test)\.ts$/.test(f) && !/(^|\/)(node_modules|dist)\//.test(f))
    .map((f) => join(dir, f));
}

async function checkExportedList() {
  console.log('\n== exported list vs code');
  const sources = [...sourceFiles(join(repoRoot, 'libs')), ...sourceFiles(join(repoRoot, 'apps'))].map((f) => readFileSync(f, 'utf8'));
  const inCode = (name) => sources.some((s) => s.includes(`'${name}'`) || s.includes(`"${name}"`));
  for (const name of Object.keys(APP_METRICS)) if (!inCode(name)) problem(`EXPORTED lists ${name}, but no source file under libs/ or apps/ names it: renamed or removed?`);
  for (const name of Object.keys(PLANNED)) if (inCode(name)) console.log(`note: planned metric ${name} now appears in the code: move it from PLANNED to APP_METRICS and drop its "# planned metric" markers`);
  console.log(`app metrics: ${Object.keys(APP_METRICS).length} found in the code`);

  // The Node default metrics the rules and dashboards use, against what prom-client actually reports.
  let defaults;
  try {
    const { Registry, collectDefaultMetrics } = createRequire(join(repoRoot, 'package.json'))('prom-client');
    const registry = new Registry();
    collectDefaultMetrics({ register: registry });
    defaults = new Set((await registry.getMetricsAsJSON()).map((m) => m.name));
    registry.clear();
  } catch (error) {
    console.log(`note: prom-client not loadable (${error.message}); Node default metric names not cross-checked`);
    return;
  }
  const usedNode = [...uses.keys()].filter((n) => n in NODE_METRICS);
  const missing = usedNode.filter((n) => !defaults.has(n) && !(LINUX_ONLY.has(n) && process.platform !== 'linux'));
  for (const name of missing) problem(`${name} is used, but prom-client's default metrics do not include it`);
  console.log(`Node default metrics used: ${usedNode.length}, ${usedNode.length - missing.length} reported by prom-client's collectDefaultMetrics here`);
}

// ------------------------------------------------------------------------------------------------
// live /metrics

/** Metric names in a Prometheus or OpenMetrics exposition (as Prometheus will store them). */
function scrapedNames(text) {
  const names = new Set();
  for (const line of text.split('\n')) {
    const type = /^# TYPE (\S+) (\S+)/.exec(line);
    if (type) {
      names.add(type[1]);
      if (type[2] === 'counter' && !type[1].endsWith('_total')) names.add(`${type[1]}_total`); // OpenMetrics drops _total in TYPE
      continue;
    }
    if (line.startsWith('#') || !line.trim()) continue;
    const sample = /^([A-Za-z_:][A-Za-z0-9_:]*)/.exec(line);
    if (sample) {
      names.add(sample[1]);
      names.add(sample[1].replace(HISTOGRAM_SUFFIX, ''));
    }
  }
  return names;
}

async function checkScrapes(urls) {
  console.log('\n== scraped metrics');
  const scraped = [];
  for (const url of urls) {
    try {
      const response = await fetch(url, {
        headers: { accept: 'application/openmetrics-text;version=1.0.0;q=0.9,text/plain;version=0.0.4;q=0.5' },
        signal: AbortSignal.timeout(10_000),
      });
      if (!response.ok) {
        problem(`${url}: HTTP ${response.status}`);
        continue;
      }
      const names = scrapedNames(await response.text());
      console.log(`${url}: ${names.size} names`);
      scraped.push({ url, names });
    } catch (error) {
      problem(`${url}: ${error.cause?.message ?? error.message}`);
    }
  }
  if (scraped.length === 0) return;
  for (const [name, where] of [...uses].sort(([a], [b]) => a.localeCompare(b))) {
    if (where.every((w) => w.planned)) continue;
    if (name in PROMETHEUS_METRICS) {
      console.log(`${name}: added by Prometheus, not scraped`);
      continue;
    }
    const found = scraped.filter((s) => s.names.has(name)).map((s) => s.url);
    if (found.length > 0) console.log(`${name}: ${found.join(', ')}`);
    else problem(`${name} (used by ${where[0].where}${where.length > 1 ? ` and ${where.length - 1} more` : ''}) is in none of the scraped texts`);
  }
}

// ------------------------------------------------------------------------------------------------

function parseCli(argv) {
  const urls = [];
  let dir;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else if (arg === '--dir' && i + 1 < argv.length) {
      dir = argv[++i];
    } else if (arg.startsWith('--metrics-url=')) {
      urls.push(arg.slice('--metrics-url='.length));
    } else if (arg === '--metrics-url') {
      const start = urls.length;
      while (i + 1 < argv.length && !argv[i + 1].startsWith('--')) urls.push(argv[++i]);
      if (urls.length === start) {
        console.error('--metrics-url needs at least one URL');
        process.exit(64);
      }
    } else {
      console.error(`unknown argument: ${arg}\n${USAGE}`);
      process.exit(64);
    }
  }
  return { urls, dir };
}

runPromtool();
const recorded = checkRules();
checkDashboards(recorded);
await checkExportedList();

console.log('\n== metric names used');
for (const [name, where] of [...uses].sort(([a], [b]) => a.localeCompare(b))) {
  const kind = name in PLANNED ? 'planned' : name in APP_METRICS ? 'app' : name in NODE_METRICS ? 'node' : name in PROMETHEUS_METRICS ? 'prometheus' : 'recorded';
  console.log(`${name} [${kind}]: ${where.length} use${where.length === 1 ? '' : 's'}`);
}
if (urls.length > 0) await checkScrapes(urls);

if (problems.length > 0) {
  console.error(`\ncheck-observability: ${problems.length} problem${problems.length === 1 ? '' : 's'}:`);
  for (const p of problems) console.error(`  - ${p}`);
  process.exit(1);
}
console.log(`\ncheck-observability: OK (${uses.size} metric names${urls.length ? `, all non-planned ones found in ${urls.length} scraped URL${urls.length === 1 ? '' : 's'}` : ''})`);
