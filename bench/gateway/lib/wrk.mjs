// Runs wrk against one target and reads its result from a Lua `done` hook that prints one JSON line,
// so nothing depends on parsing wrk's human-readable summary.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const MARKER = 'WRK_JSON ';

// wrk's latency percentiles are in microseconds; `summary.duration` too.
const DONE_HOOK = `
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('${MARKER}{"requests":%d,"durationUs":%d,"bytes":%d,"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d,"p50":%d,"p90":%d,"p99":%d,"mean":%.1f,"max":%d}\\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.mean, latency.max))
end
`;

/**
 * Writes the Lua script for a target: its request headers and the `done` hook. Header values are
 * emitted as JSON strings, which Lua reads as the same double-quoted literals for ASCII values.
 * @param {string} dir @param {string} name @param {Record<string, string>} headers
 */
export function writeScript(dir, name, headers) {
  const lines = Object.entries(headers).map(([key, value]) => `wrk.headers[${JSON.stringify(key)}] = ${JSON.stringify(value)}`);
  const path = join(dir, `${name}.lua`);
  writeFileSync(path, `${lines.join('\n')}\n${DONE_HOOK}`);
  return path;
}

/**
 * Reads the JSON line the `done` hook printed; throws naming the target when wrk printed none.
 * @param {string} stdout
 * @returns {{ requests: number, durationUs: number, bytes: number, connect: number, read: number, write: number,
 *   status: number, timeout: number, p50: number, p90: number, p99: number, mean: number, max: number }}
 */
export function parseWrkOutput(stdout) {
  const line = stdout.split('\n').find((candidate) => candidate.startsWith(MARKER));
  if (!line) throw new Error(`bench: wrk printed no result line (expected "${MARKER.trim()} {...}"); output:\n${stdout.slice(0, 1_000)}`);
  return JSON.parse(line.slice(MARKER.length));
}

/**
 * One wrk run: `connections` connections on one thread for `seconds`, pinned to `core` when `pin`.
 * Resolves with the parsed result plus `rps`; rejects with wrk's output when it fails or hangs.
 * @param {{ url: string, script: string, connections: number, seconds: number, core: number, pin: boolean }} run
 */
export function runWrk(run) {
  const args = ['-t1', `-c${run.connections}`, `-d${run.seconds}s`, '--timeout', '5s', '-s', run.script, run.url];
  const [file, argv] = run.pin ? ['taskset', ['-c', String(run.core), 'wrk', ...args]] : ['wrk', args];
  return new Promise((resolve, reject) => {
    const child = spawn(file, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), (run.seconds + 15) * 1_000);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`bench: could not run wrk (${error.message}); install it with apt-get install -y wrk`));
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (code !== 0) return reject(new Error(`bench: wrk ${argv.join(' ')} failed (${code ?? signal}):\n${stderr}${stdout}`));
      try {
        const result = parseWrkOutput(stdout);
        resolve({ ...result, rps: result.durationUs > 0 ? (result.requests * 1e6) / result.durationUs : 0 });
      } catch (error) {
        reject(error);
      }
    });
  });
}
