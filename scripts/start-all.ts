// `npm start`: runs the gateway and every sample service on this machine, each as its own process,
// with the embedded defaults: the in-memory registry and bus live here, in the launcher, and the
// services reach them over Node's IPC channel, as they would reach etcd and RabbitMQ; SQLite files
// under .data/. REPLICAS=catalog=3 runs several instances of a service. Security is on as in
// production: fresh service-client secrets each run (identity gets their hashes), services demand the
// gateway's or another service's token, messages carry a signed identity. Prints the gateway URL and a
// curl walkthrough; Ctrl-C or SIGTERM stops the gateway first, then the services.
import { createServer } from 'node:net';
import { InMemoryRegistry, RegistryHub } from '@nestkit/discovery';
import { EMBEDDED_HUB_ENV } from '@nestkit/ipc';
import { BusHub, InMemoryBus } from '@nestkit/messaging';
import { parseReplicas } from './lib/replicas';
import { generateServiceCredentials } from './lib/service-clients';
import { type Launcher, ServiceProcess } from './lib/service-process';
import { walkthrough } from './lib/walkthrough';

const SERVICES = ['identity', 'catalog', 'orders', 'notifications', 'gateway'] as const;
const dataDir = process.env['NESTKIT_DATA_DIR'] ?? '.data';
const processes: ServiceProcess[] = [];
let stopping = false;

// When our own output goes away (`npm start | tee log` and Ctrl-C ends tee), keep running so the
// services still stop in order, and keep reading theirs: a service blocked on a full or broken pipe
// could never finish shutting down.
let outputOpen = true;
for (const stream of [process.stdout, process.stderr]) stream.on('error', () => (outputOpen = false));

const registry = new InMemoryRegistry();
const launcher: Launcher = {
  registry,
  registryHub: new RegistryHub(registry),
  busHub: new BusHub(new InMemoryBus()),
  say: (line) => {
    if (outputOpen) process.stdout.write(line);
  },
  relay: (from, to) => {
    from?.on('data', (chunk: Buffer) => {
      if (outputOpen) to.write(chunk);
    });
  },
};

/** A port free now, for a service whose URL others are given: a restart keeps it, so their URL stays good. */
function reservePort(): Promise<string> {
  return new Promise((done, fail) => {
    const server = createServer().once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(String(port)));
    });
  });
}

async function envFor(name: string, extra: Record<string, string>): Promise<NodeJS.ProcessEnv> {
  // Services take free ports and find each other through the registry; only the gateway has a known
  // port, and identity a fixed one (services fetch its JWKS and tokens by URL). DATABASE_URL_<NAME>
  // overrides one service's database; replicas of a service share it.
  const databaseUrl = process.env[`DATABASE_URL_${name.toUpperCase()}`] ?? `sqlite:${dataDir}/${name}.db`;
  const port = name === 'gateway' ? (process.env['PORT'] ?? '3000') : name === 'identity' ? await reservePort() : '0';
  return { ...process.env, ...extra, PORT: port, DATABASE_URL: databaseUrl, [EMBEDDED_HUB_ENV]: 'ipc' };
}

/** Starts every replica of a service, one after another, and returns the first one's URL. */
async function start(name: string, replicas: number, extra: Record<string, string> = {}): Promise<string> {
  const urls: string[] = [];
  for (let i = 0; i < replicas; i += 1) {
    const service = new ServiceProcess(name, await envFor(name, extra), launcher);
    processes.push(service);
    urls.push(await service.start());
  }
  return urls[0];
}

async function stopAll(reason: string): Promise<void> {
  stopping = true;
  launcher.say(`\n${reason}: stopping ${processes.length} service processes ...\n`);
  // Gateway first (started last), so no new request reaches a service that is stopping.
  for (const service of [...processes].reverse()) await service.stop();
}

async function run(): Promise<void> {
  const replicas = parseReplicas(process.env['REPLICAS'] ?? '', SERVICES);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      void stopAll(signal).then(() => process.exit(0));
    });
  }
  const t0 = Date.now();
  const credentials = await generateServiceCredentials();
  const identity = await start('identity', replicas.get('identity') ?? 1, credentials.identityEnv);
  const auth = { AUTH_JWKS_URL: `${identity}/.well-known/jwks.json`, AUTH_TOKEN_URL: `${identity}/oauth/token` };
  await start('catalog', replicas.get('catalog') ?? 1, { ...auth, ...credentials.envFor('catalog') });
  await start('orders', replicas.get('orders') ?? 1, { ...auth, ...credentials.envFor('orders') });
  await start('notifications', replicas.get('notifications') ?? 1, auth);
  // The gateway finds identity's JWKS and token endpoint through the registry, as it finds every service.
  const gateway = await start('gateway', 1, credentials.envFor('gateway'));
  launcher.say(`\nNestkit is running: gateway at ${gateway} (all services ready in ${Date.now() - t0} ms)\n`);
  launcher.say(walkthrough(gateway));
  launcher.say('\nPress Ctrl-C to stop.\n');
}

run().catch(async (error: unknown) => {
  process.stderr.write(`start failed: ${error instanceof Error ? error.message : String(error)}\n`);
  await stopAll('start failed');
  process.exit(1);
});
