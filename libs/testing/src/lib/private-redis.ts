import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port';
import { waitFor } from './wait-for';

/**
 * A redis-server of one test's own (the one scripts/infra installs), on a free loopback port with no
 * persistence, so a test can kill or freeze it without touching the shared one. Stopped by pid.
 */
export class PrivateRedis {
  private constructor(
    readonly port: number,
    private readonly server: ChildProcess,
    private readonly dir: string,
  ) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  get pid(): number {
    return this.server.pid as number;
  }

  /** Starts one and resolves once it accepts connections. */
  static async start(): Promise<PrivateRedis> {
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'nestkit-redis-'));
    const server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' });
    const sut = new PrivateRedis(port, server, dir);
    const failed = new Promise<never>((_, reject) => server.once('error', (error) => reject(new Error(`redis-server could not start (${error.message}); run: bash scripts/infra/up.sh redis`))));
    await Promise.race([failed, waitFor(() => accepts(port), { what: `redis-server on 127.0.0.1:${port}`, timeoutMs: 10_000 })]);
    return sut;
  }

  /** True while the process runs. */
  get running(): boolean {
    return this.server.exitCode === null && this.server.signalCode === null;
  }

  /** SIGKILL (by default) and wait until it has exited; nothing when it already has. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    if (!this.running) return;
    const exited = new Promise((resolve) => this.server.once('exit', resolve));
    this.server.kill('SIGCONT');
    this.server.kill(signal);
    await exited;
  }

  /** Freezes it (SIGSTOP): connections stay open and nothing answers. */
  freeze(): void {
    this.server.kill('SIGSTOP');
  }

  thaw(): void {
    this.server.kill('SIGCONT');
  }

  /** Kills it and removes its folder. */
  async stop(): Promise<void> {
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection(port, '127.0.0.1', () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}
