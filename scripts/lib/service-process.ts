// One service process of `npm start`: forked with an IPC channel to the launcher's registry and bus,
// its output relayed, restarted with backoff when it dies unexpectedly, stopped by pid.
import { type ChildProcess, fork } from 'node:child_process';
import { resolve } from 'node:path';
import { type InMemoryRegistry, instanceUrl, REGISTRY_CHANNEL, type RegistryHub, type ServiceInstance } from '@nestkit/discovery';
import { childEndpoint, IpcPeer } from '@nestkit/ipc';
import { BUS_CHANNEL, type BusHub } from '@nestkit/messaging';

const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 15_000;
const MAX_RESTART_DELAY_MS = 30_000;

/** What every service process shares: the hubs, and where output goes. */
export interface Launcher {
  registry: InMemoryRegistry;
  registryHub: RegistryHub;
  busHub: BusHub;
  say(line: string): void;
  relay(from: NodeJS.ReadableStream | null, to: NodeJS.WritableStream): void;
}

export class ServiceProcess {
  private child?: ChildProcess;
  private stopping = false;
  private restartDelayMs = 1_000;

  constructor(
    readonly name: string,
    private readonly env: NodeJS.ProcessEnv,
    private readonly launcher: Launcher,
  ) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Forks the service and resolves with its URL once it registered (it registers when ready). */
  async start(): Promise<string> {
    const t0 = Date.now();
    this.launcher.say(`starting ${this.name} ...\n`);
    const child = this.fork();
    const url = instanceUrl(await this.registered(child));
    this.launcher.say(`${this.name} ready at ${url} (pid ${child.pid}, ${Date.now() - t0} ms)\n`);
    child.once('exit', (code, signal) => this.exited(child, code, signal, t0));
    return url;
  }

  /** SIGTERM by pid, SIGKILL if it has not exited within the stop timeout. */
  stop(): Promise<void> {
    this.stopping = true;
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
    return new Promise((done) => {
      const timer = setTimeout(() => {
        process.stderr.write(`${this.name} did not stop within ${STOP_TIMEOUT_MS / 1000} s; killing pid ${child.pid}\n`);
        child.kill('SIGKILL');
      }, STOP_TIMEOUT_MS);
      child.once('exit', () => {
        clearTimeout(timer);
        this.launcher.say(`stopped ${this.name} (pid ${child.pid})\n`);
        done();
      });
      child.kill('SIGTERM');
    });
  }

  private fork(): ChildProcess {
    const main = resolve(__dirname, `../../apps/${this.name}/src/main.js`);
    // Detached: a terminal's Ctrl-C reaches only the launcher, which then stops the services in order.
    // A service whose launcher dies sees its IPC channel close and stops itself (see @nestkit/bootstrap).
    // Output is piped through the launcher rather than inherited (see relay in start-all.ts).
    const child = fork(main, [], { env: this.env, stdio: ['ignore', 'pipe', 'pipe', 'ipc'], execArgv: ['--enable-source-maps'], detached: true });
    this.child = child;
    this.launcher.relay(child.stdout, process.stdout);
    this.launcher.relay(child.stderr, process.stderr);
    const endpoint = childEndpoint(child);
    this.launcher.registryHub.attach(new IpcPeer(endpoint, REGISTRY_CHANNEL));
    this.launcher.busHub.attach(new IpcPeer(endpoint, BUS_CHANNEL));
    return child;
  }

  /** This child's own instance: replicas of one service are told apart by the pid in their metadata. */
  private registered(child: ChildProcess): Promise<ServiceInstance> {
    return new Promise((done, fail) => {
      const timer = setTimeout(() => fail(new Error(`${this.name} did not become ready within ${START_TIMEOUT_MS / 1000} s`)), START_TIMEOUT_MS);
      const onExit = (code: number | null) => fail(new Error(`${this.name} exited with code ${code} while starting (its log is above)`));
      child.once('exit', onExit);
      const unsubscribe = this.launcher.registry.subscribe(this.name, (instances) => {
        const own = instances.find((i) => i.metadata['pid'] === String(child.pid));
        if (!own) return;
        clearTimeout(timer);
        child.off('exit', onExit);
        queueMicrotask(() => unsubscribe());
        done(own);
      });
    });
  }

  /** Restarts a service that died on its own, backing off while it keeps dying soon after starting. */
  private exited(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null, startedAt: number): void {
    if (this.stopping || child !== this.child) return;
    const delay = this.restartDelayMs;
    this.restartDelayMs = Date.now() - startedAt < 10_000 ? Math.min(delay * 2, MAX_RESTART_DELAY_MS) : 1_000;
    process.stderr.write(`${this.name} (pid ${child.pid}) exited unexpectedly (${signal ?? `code ${code}`}); restarting in ${delay} ms\n`);
    setTimeout(() => {
      if (this.stopping) return;
      this.start().catch((error: unknown) => process.stderr.write(`${this.name} restart failed: ${String(error)}\n`));
    }, delay);
  }
}
