// Child processes of the benchmark: started pinned to a core, their output in log files, and every one
// of them stopped by pid when the harness ends, however it ends (normal exit, error, Ctrl-C).
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** A port the OS reports free on 127.0.0.1 right now (bind to 0, read it, release it). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
      server.close(() => resolve(port));
    });
  });
}

/** Whether `command` is on the PATH (or is an existing absolute path). */
export function hasCommand(command) {
  if (command.startsWith('/')) return existsSync(command);
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

/** The last `bytes` of a log file, for error messages. */
export function tail(path, bytes = 2_000) {
  try {
    const text = readFileSync(path, 'utf8');
    return text.length > bytes ? `...${text.slice(-bytes)}` : text;
  } catch {
    return '';
  }
}

/**
 * Owns every process the benchmark starts. `start` runs a command under `taskset -c <core>` (taskset
 * execs it, so the pid is the server's own), with stdout and stderr in `<logDir>/<name>.log`.
 */
export class Processes {
  /** @type {Map<number, { name: string, child: import('node:child_process').ChildProcess, log: string }>} */
  #running = new Map();

  /** @param {{ logDir: string, pin: boolean }} options */
  constructor(options) {
    this.logDir = options.logDir;
    this.pin = options.pin;
    // SIGTERM, not SIGKILL, even as a last resort: a SIGKILLed nginx master leaves its worker running.
    process.once('exit', () => this.killAll('SIGTERM'));
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
      process.once(signal, () => {
        process.stderr.write(`\nbench: ${signal}, stopping ${this.#running.size} process(es)\n`);
        this.killAll('SIGTERM');
        process.exit(130);
      });
    }
  }

  /**
   * Starts `command args` on `core` (unpinned when pinning is off); returns the child with its log path.
   * @param {string} name  @param {number} core  @param {string} command  @param {string[]} args
   * @param {{ env?: NodeJS.ProcessEnv, cwd?: string }} [options]
   */
  start(name, core, command, args, options = {}) {
    const log = join(this.logDir, `${name}.log`);
    const fd = openSync(log, 'a');
    const [file, argv] = this.pin ? ['taskset', ['-c', String(core), command, ...args]] : [command, args];
    const child = spawn(file, argv, { stdio: ['ignore', fd, fd], env: options.env ?? process.env, cwd: options.cwd });
    closeSync(fd);
    if (child.pid === undefined) throw new Error(`bench: could not start ${name} (${command}); see ${log}`);
    const entry = { name, child, log };
    this.#running.set(child.pid, entry);
    child.once('exit', () => this.#running.delete(child.pid));
    return entry;
  }

  /** Stops one process by pid: SIGTERM, then SIGKILL after `graceMs`; resolves with its exit code. */
  stop(entry, graceMs = 5_000) {
    const { child } = entry;
    if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
    return new Promise((resolve) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      child.once('exit', (code) => {
        clearTimeout(timer);
        resolve(code);
      });
      child.kill('SIGTERM');
    });
  }

  /** Stops every process still running, each by its pid. */
  async stopAll() {
    await Promise.all([...this.#running.values()].map((entry) => this.stop(entry)));
  }

  /** Synchronous last resort (process 'exit', signals): sends `signal` to each remaining pid. */
  killAll(signal) {
    for (const pid of this.#running.keys()) {
      try {
        process.kill(pid, signal);
      } catch {
        // already gone
      }
    }
  }
}

/**
 * Polls `url` until `accept(response, text)` holds, failing early when `entry` exits. Throws an error
 * that names the server, what it answered last, and the tail of its log.
 * @param {string} name @param {string} url
 * @param {{ entry?: { child: import('node:child_process').ChildProcess, log: string }, headers?: Record<string, string>,
 *   accept?: (status: number, text: string) => boolean, timeoutMs?: number }} [options]
 */
export async function waitUntilServing(name, url, options = {}) {
  const { entry, headers = {}, accept = (status) => status === 200, timeoutMs = 30_000 } = options;
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    if (entry && (entry.child.exitCode !== null || entry.child.signalCode !== null)) {
      throw new Error(`bench: ${name} exited (code ${entry.child.exitCode ?? entry.child.signalCode}) before serving ${url}\n${tail(entry.log)}`);
    }
    try {
      const response = await fetch(url, { headers, signal: AbortSignal.timeout(2_000) });
      const text = await response.text();
      if (accept(response.status, text)) return;
      last = `HTTP ${response.status}: ${text.slice(0, 300)}`;
    } catch (error) {
      last = String(error?.cause?.code ?? error?.message ?? error);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`bench: ${name} did not serve ${url} within ${timeoutMs} ms (last: ${last})${entry ? `\n${tail(entry.log)}` : ''}`);
}
