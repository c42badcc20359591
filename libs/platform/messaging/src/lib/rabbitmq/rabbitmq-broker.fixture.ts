import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Closes, from the broker's side, every connection whose client-provided name is `name` (as a network
 * partition or an operator would), through `scripts/infra/rabbitmq.sh ctl`: only for the local test broker.
 * Resolves with how many it closed.
 */
export async function closeConnectionsNamed(name: string): Promise<number> {
  const listing = await ctl('-q', '--no-table-headers', 'list_connections', 'pid', 'client_properties');
  const pids = listing
    .split('\n')
    .filter((line) => line.includes(`{"connection_name","${name}"}`))
    .map((line) => line.split('\t')[0]);
  for (const pid of pids) await ctl('-q', 'close_connection', pid, 'closed by a nestkit test');
  return pids.length;
}

async function ctl(...args: string[]): Promise<string> {
  const { stdout } = await run('bash', [infraScript(), 'ctl', ...args], { timeout: 15_000 });
  return stdout;
}

function infraScript(): string {
  for (let dir = process.cwd(); dir !== dirname(dir); dir = dirname(dir)) {
    const script = join(dir, 'scripts/infra/rabbitmq.sh');
    if (existsSync(script)) return script;
  }
  throw new Error(`scripts/infra/rabbitmq.sh not found above ${process.cwd()}: run the tests from the repository`);
}
