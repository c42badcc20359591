import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from '@nestkit/testing';

/** The whole platform started as `npm start` starts it (built launcher, embedded defaults), in a child process. */
export class PlatformProcess {
  private output = '';

  private constructor(
    readonly url: string,
    private readonly child: ChildProcess,
    private readonly dataDir: string,
  ) {}

  static async start(env: NodeJS.ProcessEnv = {}, timeoutMs = 90_000): Promise<PlatformProcess> {
    const port = await freePort();
    const dataDir = mkdtempSync(join(tmpdir(), 'nestkit-e2e-'));
    const launcher = resolve(__dirname, '../../dist/scripts/start-all.js');
    const child = spawn(process.execPath, ['--enable-source-maps', launcher], {
      env: { ...process.env, PORT: String(port), NESTKIT_DATA_DIR: dataDir, LOG_LEVEL: process.env['E2E_LOG_LEVEL'] ?? 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const sut = new PlatformProcess(`http://127.0.0.1:${port}`, child, dataDir);
    child.stdout?.on('data', (chunk: Buffer) => (sut.output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (sut.output += chunk.toString()));
    await sut.waitForOutput('Nestkit is running', timeoutMs);
    return sut;
  }

  get logs(): string {
    return this.output;
  }

  /** The launcher's pid. */
  get pid(): number {
    return this.child.pid as number;
  }

  /** Pids of the service processes, as the launcher reported them (`... ready at ... (pid N, ...)`). */
  get servicePids(): number[] {
    return [...this.output.matchAll(/ready at \S+ \(pid (\d+),/g)].map((m) => Number(m[1]));
  }

  /** Sends SIGTERM to the launcher's pid (unless it already ended) and resolves with its exit code (null if a signal ended it). */
  async stop(): Promise<number | null> {
    const running = this.child.exitCode === null && this.child.signalCode === null;
    const exited = new Promise<number | null>((done) => this.child.once('exit', (code) => done(code)));
    if (running) this.child.kill('SIGTERM');
    const code = running ? await exited : this.child.exitCode;
    rmSync(this.dataDir, { recursive: true, force: true });
    return code;
  }

  private waitForOutput(marker: string, timeoutMs: number): Promise<void> {
    return new Promise((done, fail) => {
      const timer = setTimeout(() => fail(new Error(`platform did not print "${marker}" within ${timeoutMs} ms:\n${this.output}`)), timeoutMs);
      const check = () => {
        if (this.output.includes(marker)) {
          clearTimeout(timer);
          done();
        }
      };
      this.child.stdout?.on('data', check);
      this.child.once('exit', (code) => {
        clearTimeout(timer);
        fail(new Error(`platform exited with ${code} before "${marker}":\n${this.output}`));
      });
    });
  }
}
