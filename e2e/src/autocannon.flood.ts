import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';

/**
 * Constant load on one URL from autocannon in a separate process, so the flood's clients do not share the
 * measuring client's event loop; runs until {@link stop}.
 */
export class AutocannonFlood {
  private constructor(private readonly child: ChildProcess) {}

  /** Starts `connections` clients sending `ratePerSecond` requests in total to `url`, each with a 5 s timeout. */
  static start(url: string, connections: number, ratePerSecond: number): AutocannonFlood {
    const cli = require.resolve('autocannon/autocannon.js');
    // An hour is "until stopped": the caller's timeout ends the test long before.
    const args = [cli, '-c', String(connections), '-R', String(ratePerSecond), '-d', '3600', '-t', '5', url];
    return new AutocannonFlood(spawn(process.execPath, args, { stdio: 'ignore' }));
  }

  /** Ends the flood and resolves once its process has exited. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = once(this.child, 'exit');
    this.child.kill('SIGTERM');
    await exited;
  }
}
