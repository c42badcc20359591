import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { type FuzzReport, parseFuzzReport } from './schemathesis-report';

const INSTALLER = resolve(__dirname, '../../scripts/infra/schemathesis.sh');

/** The checks every run applies (schemathesis' names). */
export const FUZZ_CHECKS = ['not_a_server_error', 'status_code_conformance', 'content_type_conformance', 'response_schema_conformance'] as const;

/** One `st run` against a live API. */
export interface FuzzOptions {
  /** URL of the OpenAPI document. */
  schema: string;
  /** Origin the document's paths are sent to. */
  baseUrl: string;
  /** Sent with every request, e.g. `{ Authorization: 'Bearer ...' }`. */
  headers?: Record<string, string>;
  /** Cases per operation in the fuzzing phase (the coverage and stateful phases add their own). */
  maxExamplesPerOperation: number;
  workers: number;
  seed: number;
  /** The whole run's budget; the process is killed past it. */
  timeoutMs: number;
}

/** A finished run: its report, and schemathesis' own text output (failures with curl reproductions). */
export interface FuzzRun {
  report: FuzzReport;
  exitCode: number | null;
  output: string;
}

/** The `st` binary from scripts/infra/schemathesis.sh, installed first when missing (idempotent). */
export async function schemathesisBinary(): Promise<string> {
  const { stdout } = await promisify(execFile)('bash', [INSTALLER, 'install'], { timeout: 300_000 });
  const binary = stdout.trim().split('\n').pop() ?? '';
  if (!existsSync(binary)) throw new Error(`scripts/infra/schemathesis.sh install printed "${stdout.trim()}", not the path of an st binary`);
  return binary;
}

/**
 * Runs schemathesis' `st run` with every phase (examples, coverage, fuzzing, stateful) and `FUZZ_CHECKS`,
 * in a throw-away working folder (no schemathesis.toml, example database or crash files picked up or
 * left behind), and parses its NDJSON report. Resolves whatever the checks found; rejects only when
 * schemathesis itself failed (bad arguments, schema not loadable, killed at the timeout).
 */
export async function runSchemathesis(options: FuzzOptions): Promise<FuzzRun> {
  const st = await schemathesisBinary();
  const dir = mkdtempSync(join(tmpdir(), 'nestkit-fuzz-'));
  const events = join(dir, 'events.ndjson');
  const args = [
    'run',
    options.schema,
    '--url',
    options.baseUrl,
    '--phases',
    'examples,coverage,fuzzing,stateful',
    '--checks',
    FUZZ_CHECKS.join(','),
    '--max-examples',
    String(options.maxExamplesPerOperation),
    '--workers',
    String(options.workers),
    '--seed',
    String(options.seed),
    '--generation-database',
    'none',
    '--request-timeout',
    '10',
    '--report',
    'ndjson',
    '--report-ndjson-path',
    events,
    '--no-color',
    ...Object.entries(options.headers ?? {}).flatMap(([name, value]) => ['--header', `${name}: ${value}`]),
  ];
  try {
    const { exitCode, output } = await exec(st, args, dir, options.timeoutMs);
    // 0: every check passed; 1: some failed. Anything else is schemathesis failing to run.
    if ((exitCode !== 0 && exitCode !== 1) || !existsSync(events)) {
      throw new Error(`st run exited with ${exitCode} and ${existsSync(events) ? 'a' : 'no'} report (seed ${options.seed}):\n${output.slice(-4_000)}`);
    }
    return { report: parseFuzzReport(readFileSync(events, 'utf8')), exitCode, output };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function exec(command: string, args: string[], cwd: string, timeoutMs: number): Promise<{ exitCode: number | null; output: string }> {
  return new Promise((done, fail) => {
    // No hooks module from the caller's environment: the run checks exactly FUZZ_CHECKS.
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
    delete env['SCHEMATHESIS_HOOKS'];
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], env });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error(`st run did not finish within ${timeoutMs} ms; lower maxExamplesPerOperation or raise the budget:\n${output.slice(-4_000)}`));
    }, timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      fail(error);
    });
    child.once('close', (exitCode) => {
      clearTimeout(timer);
      done({ exitCode, output });
    });
  });
}
