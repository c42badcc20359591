import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** An SRV record for {@link startDnsmasq}; `target` may be a host name or an IP literal. */
export interface SrvRecord {
  readonly name: string;
  readonly target: string;
  readonly port: number;
  readonly priority?: number;
  readonly weight?: number;
}

/** The records a test dnsmasq serves. `raw` lines go into its config file verbatim. */
export interface DnsRecords {
  readonly srv?: readonly SrvRecord[];
  /** Host name → IPv4 or IPv6 addresses (`host-record=`). */
  readonly hosts?: Readonly<Record<string, readonly string[]>>;
  readonly raw?: readonly string[];
}

/** A dnsmasq of one test, on 127.0.0.1 and a port of its own. */
export interface RunningDnsmasq {
  /** `127.0.0.1:<port>`, for `DnsInstancer`'s `servers`. */
  readonly server: string;
  readonly port: number;
  /** Restarts it on the same port serving `records` (dnsmasq does not re-read SRV records on SIGHUP). */
  reconfigure(records: DnsRecords): Promise<void>;
  /** Stops it, leaving the port silent, until `restart` or `reconfigure`. */
  stop(): Promise<void>;
  restart(): Promise<void>;
  /** Stops it and deletes its config folder. */
  dispose(): Promise<void>;
}

const BINARY = process.env.NESTKIT_DNSMASQ_BIN ?? (existsSync('/usr/sbin/dnsmasq') ? '/usr/sbin/dnsmasq' : 'dnsmasq');

/**
 * Starts a dnsmasq serving `records` on a free loopback port, so tests run in parallel without sharing
 * a server. Names under `cluster.local` that are not configured answer NXDOMAIN, as in Kubernetes.
 * Needs the binary: `bash scripts/infra/dnsmasq.sh install`.
 */
export async function startDnsmasq(records: DnsRecords): Promise<RunningDnsmasq> {
  const dir = mkdtempSync(join(tmpdir(), 'nestkit-dnsmasq-'));
  const conf = join(dir, 'dnsmasq.conf');
  const port = await freePort();
  let child: ChildProcess | undefined;
  writeFileSync(conf, configLines(records));
  const start = async () => {
    child = await spawnDnsmasq(conf, port);
  };
  const stop = async () => {
    await stopProcess(child);
    child = undefined;
  };
  await start();
  return {
    server: `127.0.0.1:${port}`,
    port,
    async reconfigure(next) {
      await stop();
      writeFileSync(conf, configLines(next));
      await start();
    },
    stop,
    restart: start,
    async dispose() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function configLines(records: DnsRecords): string {
  const srv = (records.srv ?? []).map((r) => `srv-host=${[r.name, r.target, r.port, r.priority ?? 0, r.weight ?? 0].join(',')}`);
  // One host-record line per address: a line holds at most one IPv4 and one IPv6 address.
  const hosts = Object.entries(records.hosts ?? {}).flatMap(([name, addresses]) => addresses.map((address) => `host-record=${name},${address}`));
  return [`local=/cluster.local/`, ...srv, ...hosts, ...(records.raw ?? [])].join('\n') + '\n';
}

async function spawnDnsmasq(conf: string, port: number): Promise<ChildProcess> {
  const args = ['--keep-in-foreground', '--log-facility=-', '--pid-file=', `--conf-file=${conf}`, `--port=${port}`, '--listen-address=127.0.0.1', '--bind-interfaces', '--no-resolv', '--no-hosts'];
  const child = spawn(BINARY, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  // A test that forgets `dispose` must not leave a dnsmasq behind when its worker exits.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  child.once('exit', () => process.off('exit', killOnExit));
  let log = '';
  child.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const exited = new Promise<never>((_, reject) => {
    child.once('error', (error) => reject(new Error(`cannot run ${BINARY} (${error.message}); install it with: bash scripts/infra/dnsmasq.sh install`)));
    child.once('exit', (code) => reject(new Error(`dnsmasq exited with ${code} before listening:\n${log}`)));
  });
  exited.catch(() => undefined);
  await Promise.race([waitForPort(port), exited]);
  return child;
}

async function stopProcess(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 3_000);
  await exited;
  clearTimeout(timer);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

// dnsmasq binds its UDP and TCP sockets together after reading its config, so TCP answering means ready.
async function waitForPort(port: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await accepts(port))) {
    if (Date.now() > deadline) throw new Error(`dnsmasq did not listen on 127.0.0.1:${port} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => done(true)).once('error', () => done(false));
  });
}
