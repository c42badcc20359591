// `npm test`: lint (module boundaries included), type check, build, bring up the brokers and
// databases the integration tests need (unless they are already reachable), then unit, integration and
// end-to-end tests in one Vitest run. Ends with the line CI reads: `N passed, N failed`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { infraEnv, unreachable } from './lib/infra-env.mjs';
import { repoRoot } from './lib/workspace-paths.mjs';

const env = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false', FORCE_COLOR: process.env.CI ? '0' : process.env.FORCE_COLOR };
const steps = [];

function run(title, command, args, extraEnv = {}) {
  const started = Date.now();
  console.log(`\n=== ${title} ===`);
  const result = spawnSync(command, args, { cwd: repoRoot, stdio: 'inherit', env: { ...env, ...extraEnv } });
  const ok = result.status === 0;
  steps.push({ title, ok, seconds: ((Date.now() - started) / 1000).toFixed(1) });
  return ok;
}

function summary(tests) {
  console.log('\n=== summary ===');
  for (const step of steps) console.log(`${step.ok ? 'ok  ' : 'FAIL'} ${step.title} (${step.seconds} s)`);
  console.log(`${tests.passed} passed, ${tests.failed} failed${tests.skipped ? `, ${tests.skipped} skipped` : ''}`);
}

const only = process.argv.slice(2); // e.g. `npm test -- --project unit` passes straight to Vitest
const quick = only.length > 0;

if (!quick) {
  // --skip-nx-cache: boundary rules depend on other projects' tags, which a cached result would not see change.
  if (!run('lint (nx run-many -t lint)', 'npx', ['nx', 'run-many', '-t', 'lint', '--outputStyle=static', '--parallel=2', '--skip-nx-cache'])) {
    summary({ passed: 0, failed: 1 });
    process.exit(1);
  }
  if (!run('type check (tsc --noEmit)', 'npx', ['tsc', '-p', 'tsconfig.json', '--noEmit'])) {
    summary({ passed: 0, failed: 1 });
    process.exit(1);
  }
}
if (!run('build (swc)', 'node', ['scripts/build.mjs'])) {
  summary({ passed: 0, failed: 1 });
  process.exit(1);
}

const infra = infraEnv(process.env);
const missing = await unreachable(infra);
if (missing.length > 0) {
  console.log(`\ninfra: not reachable: ${missing.join(', ')}; starting them with scripts/infra/up.sh`);
  if (!run(`infra up (${missing.join(' ')})`, 'bash', ['scripts/infra/up.sh', ...missing])) {
    console.error(
      '\ninfra: could not start ' + missing.join(', ') + '.\n' +
        'Either run as a user who can `apt-get install` (Debian/Ubuntu), or start them yourself\n' +
        '(for example `docker compose up -d rabbitmq kafka redis postgres etcd`) and point the tests at them with\n' +
        'RABBITMQ_URL, KAFKA_BROKERS, REDIS_URL, POSTGRES_URL, ETCD_URL, ZIPKIN_URL and PROMETHEUS_URL.',
    );
    summary({ passed: 0, failed: 1 });
    process.exit(1);
  }
}

// The DNS discovery tests start their own dnsmasq per test (dnsmasq does not reload SRV records), so
// only the binary is needed, not a running server.
if (!existsSync('/usr/sbin/dnsmasq') && !process.env.NESTKIT_DNSMASQ_BIN) {
  if (!run('infra install (dnsmasq)', 'bash', ['scripts/infra/dnsmasq.sh', 'install'])) {
    console.error('\ninfra: could not install dnsmasq (Debian package dnsmasq-base); install it, or set NESTKIT_DNSMASQ_BIN.');
    summary({ passed: 0, failed: 1 });
    process.exit(1);
  }
}

// The OpenAPI fuzzing e2e spec runs schemathesis (PyPI), from a venv cached outside the repo.
if (spawnSync('bash', ['scripts/infra/schemathesis.sh', 'path'], { cwd: repoRoot, stdio: 'ignore' }).status !== 0) {
  if (!run('infra install (schemathesis)', 'bash', ['scripts/infra/schemathesis.sh', 'install'])) {
    console.error('\ninfra: could not install schemathesis from PyPI into a venv (needs python3 with venv, or root to apt-get install python3-venv); see the lines above.');
    summary({ passed: 0, failed: 1 });
    process.exit(1);
  }
}

// The observability check (scripts/check-observability.spec.ts) runs promtool, from Debian's prometheus package.
if (spawnSync('bash', ['scripts/infra/prometheus.sh', 'path'], { cwd: repoRoot, stdio: 'ignore' }).status !== 0) {
  if (!run('infra install (promtool)', 'bash', ['scripts/infra/prometheus.sh', 'install'])) {
    console.error('\ninfra: could not install promtool (Debian package prometheus); install it, or set PROMTOOL to its path.');
    summary({ passed: 0, failed: 1 });
    process.exit(1);
  }
}

const reportDir = mkdtempSync(join(tmpdir(), 'nestkit-test-'));
const report = join(reportDir, 'vitest.json');
run('vitest (unit, int, e2e)', 'npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...only], infra);

let tests = { passed: 0, failed: 1, skipped: 0 };
try {
  const result = JSON.parse(readFileSync(report, 'utf8'));
  const failedSuites = result.numFailedTestSuites ?? 0;
  tests = {
    passed: result.numPassedTests,
    // A file that fails to load has no tests to count, so count it as a failure.
    failed: result.numFailedTests + (result.numFailedTests === 0 ? failedSuites : 0),
    skipped: (result.numPendingTests ?? 0) + (result.numTodoTests ?? 0),
  };
} catch (error) {
  console.error(`could not read the Vitest report ${report}: ${error.message}`);
}
rmSync(reportDir, { recursive: true, force: true });
summary(tests);
process.exit(tests.failed === 0 && tests.passed > 0 && steps.every((s) => s.ok) ? 0 : 1);
