import { randomInt } from 'node:crypto';
import { bootstrapAdmin } from './bootstrap-admin';
import { call } from './http';
import { PlatformProcess } from './platform-process';
import type { FuzzInteraction } from './schemathesis-report';
import { type FuzzRun, runSchemathesis } from './schemathesis';

const PROBLEM = /^application\/problem\+json\b/i;
const METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);
const MIN_CASES = 2_000;
/**
 * Identity's brute-force throttle (50 failed logins per address) would answer 429 to most generated
 * logins, leaving login barely fuzzed; the gateway's default routes have no rate limit of their own.
 */
const LOGIN_THROTTLE_OFF = { LOGIN_MAX_ATTEMPTS_PER_IP: '10000', LOGIN_MAX_ATTEMPTS_PER_ACCOUNT: '10000' };
/** Examples, coverage and stateful cases come on top of these, so ~20 operations make well over MIN_CASES. */
const EXAMPLES_PER_OPERATION = 220;

/**
 * The gateway's merged OpenAPI document, fuzzed with schemathesis (PyPI) against the platform as
 * `npm start` runs it: generated valid and invalid requests for every operation, sent with an admin's
 * token so protected and admin-only operations are exercised past authentication. The run's NDJSON
 * report, not its text output, is what is asserted on. A failure message names the requests; rerun one
 * with the printed seed: `st run <gateway>/docs/openapi.json --url <gateway> --seed <seed> ...`.
 */
describe('OpenAPI fuzzing (schemathesis against /docs/openapi.json through the gateway)', () => {
  const admin = bootstrapAdmin();
  const seed = randomInt(2 ** 31);
  let platform: PlatformProcess;
  let operations: string[];
  let run: FuzzRun;

  beforeAll(async () => {
    platform = await PlatformProcess.start({ ...admin.env, ...LOGIN_THROTTLE_OFF });
    const token = await admin.token(`${platform.url}/api`);
    const document = await call<{ paths: Record<string, Record<string, unknown>> }>(`${platform.url}/docs/openapi.json`);
    expect(document.status).toBe(200);
    operations = Object.entries(document.body.paths).flatMap(([path, item]) => Object.keys(item).filter((key) => METHODS.has(key)).map((method) => `${method.toUpperCase()} ${path}`));
    run = await runSchemathesis({
      schema: `${platform.url}/docs/openapi.json`,
      baseUrl: platform.url,
      headers: { Authorization: `Bearer ${token}` },
      maxExamplesPerOperation: EXAMPLES_PER_OPERATION,
      // One worker: on two cores the platform needs the other, and more threads made it slower, not faster.
      workers: 1,
      seed,
      timeoutMs: 150_000,
    });
  }, 240_000);

  afterAll(async () => {
    const code = await platform?.stop();
    expect(code).toBe(0);
  });

  it(`generates at least ${MIN_CASES} cases, over every operation of the document`, () => {
    expect(run.report.cases, `seed ${seed}`).toBeGreaterThanOrEqual(MIN_CASES);
    expect(operations.length).toBeGreaterThan(10);
    expect(operations.filter((operation) => !run.report.operations.has(operation))).toEqual([]);
    expect(run.report.errors, 'operations schemathesis could not test').toEqual([]);
  });

  it('is not throttled, so every operation is fuzzed past the rate limits', () => {
    expect(run.report.interactions.filter((interaction) => interaction.status === 429).map(describeInteraction)).toEqual([]);
  });

  it('gets no 5xx', () => {
    const errors = run.report.interactions.filter((interaction) => interaction.status >= 500);
    expect(errors.map(describeInteraction), `seed ${seed}`).toEqual([]);
  });

  it('answers every 4xx with application/problem+json', () => {
    const fourxx = run.report.interactions.filter((interaction) => interaction.status >= 400 && interaction.status < 500);
    expect(fourxx.length, 'the invalid inputs were rejected at least once').toBeGreaterThan(0);
    expect(fourxx.filter((interaction) => !PROBLEM.test(interaction.contentType)).map(describeInteraction), `seed ${seed}`).toEqual([]);
  });

  it('passes every check: documented status codes, content types and response schemas', () => {
    for (const check of ['status_code_conformance', 'content_type_conformance', 'response_schema_conformance']) {
      expect(run.report.passedChecks.get(check) ?? 0, `${check} ran`).toBeGreaterThan(0);
    }
    const failures = run.report.failures.map((failure) => `${failure.title} (${failure.check}) on ${failure.operation}: ${failure.request}\n  ${failure.message}`);
    expect(failures, `seed ${seed}; schemathesis said:\n${failuresSection(run.output)}`).toEqual([]);
  });
});

function describeInteraction(interaction: FuzzInteraction): string {
  return `${interaction.method} ${interaction.uri.slice(0, 300)} ${interaction.body.slice(0, 200)} -> ${interaction.status} ${interaction.contentType} ${interaction.responseBody.slice(0, 300)}`;
}

/** The FAILURES part of schemathesis' output (with a curl reproduction per failure), capped. */
function failuresSection(output: string): string {
  const start = output.indexOf('FAILURES');
  return start < 0 ? '(no failures section)' : output.slice(start, start + 8_000);
}
