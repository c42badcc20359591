import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';

/** One service started on its own, as a container or a Kubernetes pod runs it: `node dist/apps/<name>/src/main.js`. */
export class StandaloneService {
  private output = '';

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
  ) {
    child.stdout?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
  }

  static start(name: string, env: NodeJS.ProcessEnv): StandaloneService {
    const main = resolve(__dirname, `../../dist/apps/${name}/src/main.js`);
    const child = spawn(process.execPath, [main], { env: { ...process.env, LOG_LEVEL: 'warn', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    return new StandaloneService(name, child);
  }

  get pid(): number {
    return this.child.pid as number;
  }

  get logs(): string {
    return this.output;
  }

  /** Sends `signal` to the pid and resolves once the process has exited. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((done) => this.child.once('exit', () => done()));
    this.child.kill(signal);
    await exited;
  }
}
