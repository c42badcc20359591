// `npm start`: runs the gateway and every sample service on this machine, each as its own process,
// with the embedded defaults: the in-memory registry and bus live here, in the launcher, and the
// services reach them over Node's IPC channel, as they would reach etcd and RabbitMQ; SQLite files
// under .data/. Prints the gateway URL and a curl walkthrough; Ctrl-C or SIGTERM stops the gateway
// first, then the services.
import { type ChildProcess, fork } from 'node:child_process';
import { resolve } from 'node:path';
import { EMBEDDED_HUB_ENV, InMemoryRegistry, instanceUrl, REGISTRY_CHANNEL, RegistryHub, type ServiceInstance } from '@nestkit/discovery';
import { childEndpoint, IpcPeer } from '@nestkit/ipc';
import { BUS_CHANNEL, BusHub, InMemoryBus } from '@nestkit/messaging';
import { walkthrough } from './lib/walkthrough';

const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 15_000;
const dataDir = process.env['NESTKIT_DATA_DIR'] ?? '.data';
const registry = new InMemoryRegistry();
const registryHub = new RegistryHub(registry);
const busHub = new BusHub(new InMemoryBus());
const children: { name: string; child: ChildProcess }[] = [];
let stopping = false;

function envFor(name: string, extra: Record<string, string>): NodeJS.ProcessEnv {
  // Services take free ports and find each other through the registry; only the gateway has a known
  // port. DATABASE_URL_<NAME> overrides one service's database.
  const databaseUrl = process.env[`DATABASE_URL_${name.toUpperCase()}`] ?? `sqlite:${dataDir}/${name}.db`;
  const port = name === 'gateway' ? (process.env['PORT'] ?? '3000') : '0';
  return { ...process.env, ...extra, PORT: port, DATABASE_URL: databaseUrl, [EMBEDDED_HUB_ENV]: 'ipc' };
}

// When our own output goes away (`npm start | tee log` and Ctrl-C ends tee), keep running so the
// services still stop in order, and keep reading theirs: a service blocked on a full or broken pipe
// could never finish shutting down.
let outputOpen = true;
for (const stream of [process.stdout, process.stderr]) stream.on('error', () => (outputOpen = false));

/** Copies a service's output to ours while ours is open, and drains it regardless. */
function relay(from: NodeJS.ReadableStream | null, to: NodeJS.WritableStream): void {
  from?.on('data', (chunk: Buffer) => {
    if (outputOpen) to.write(chunk);
  });
}

function say(line: string): void {
  if (outputOpen) process.stdout.write(line);
}

/** Resolves with the service's first registered instance: it registers once it listens and is ready. */
function registered(name: string, child: ChildProcess): Promise<ServiceInstance> {
  return new Promise((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`${name} did not become ready within ${START_TIMEOUT_MS / 1000} s`)), START_TIMEOUT_MS);
    const onExit = (code: number | null) => fail(new Error(`${name} exited with code ${code} while starting (its log is above)`));
    child.once('exit', onExit);
    const unsubscribe = registry.subscribe(name, (instances) => {
      if (instances.length === 0) return;
      clearTimeout(timer);
      child.off('exit', onExit);
      queueMicrotask(() => unsubscribe());
      done(instances[0]);
    });
  });
}

async function start(name: string, extra: Record<string, string> = {}): Promise<string> {
  const t0 = Date.now();
  say(`starting ${name} ...\n`);
  const main = resolve(__dirname, `../apps/${name}/src/main.js`);
  // Detached: a terminal's Ctrl-C reaches only this launcher, which then stops the services in order.
  // A service whose launcher dies sees its IPC channel close and stops itself (see @nestkit/bootstrap).
  const child = fork(main, [], {
    env: envFor(name, extra),
    // Piped through this process rather than inherited: see relay().
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    execArgv: ['--enable-source-maps'],
    detached: true,
  });
  children.push({ name, child });
  relay(child.stdout, process.stdout);
  relay(child.stderr, process.stderr);
  const endpoint = childEndpoint(child);
  registryHub.attach(new IpcPeer(endpoint, REGISTRY_CHANNEL));
  busHub.attach(new IpcPeer(endpoint, BUS_CHANNEL));
  child.once('exit', (code, signal) => {
    if (!stopping) process.stderr.write(`${name} (pid ${child.pid}) exited unexpectedly (${signal ?? `code ${code}`})\n`);
  });
  const url = instanceUrl(await registered(name, child));
  say(`${name} ready at ${url} (pid ${child.pid}, ${Date.now() - t0} ms)\n`);
  return url;
}

function stopChild(name: string, child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => {
    const timer = setTimeout(() => {
      process.stderr.write(`${name} did not stop within ${STOP_TIMEOUT_MS / 1000} s; killing pid ${child.pid}\n`);
      child.kill('SIGKILL');
    }, STOP_TIMEOUT_MS);
    child.once('exit', () => {
      clearTimeout(timer);
      say(`stopped ${name}\n`);
      done();
    });
    child.kill('SIGTERM');
  });
}

async function stopAll(reason: string): Promise<void> {
  stopping = true;
  say(`\n${reason}: stopping ${children.length} services ...\n`);
  // Gateway first (started last), so no new request reaches a service that is stopping.
  for (const { name, child } of [...children].reverse()) await stopChild(name, child);
}

async function run(): Promise<void> {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      void stopAll(signal).then(() => process.exit(0));
    });
  }
  const t0 = Date.now();
  const identity = await start('identity');
  const auth = { AUTH_JWKS_URL: `${identity}/.well-known/jwks.json` };
  await start('catalog', auth);
  await start('orders', auth);
  await start('notifications', auth);
  const gateway = await start('gateway');
  say(`\nNestkit is running: gateway at ${gateway} (all services ready in ${Date.now() - t0} ms)\n`);
  say(walkthrough(gateway));
  say('\nPress Ctrl-C to stop.\n');
}

run().catch(async (error: unknown) => {
  process.stderr.write(`start failed: ${error instanceof Error ? error.message : String(error)}\n`);
  await stopAll('start failed');
  process.exit(1);
});
