import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { freePort } from './free-port';

/** A broker {@link PrivateBroker} can run. */
export type PrivateBrokerKind = 'rabbitmq' | 'kafka';

/** scripts/infra of the repository, found upwards from here (the sources, or their build in dist/). */
function infraScripts(): string {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    const candidate = join(dir, 'scripts/infra/common.sh');
    if (existsSync(candidate)) return dirname(candidate);
  }
  throw new Error(`scripts/infra not found above ${__dirname}; run from a checkout of the repository`);
}

const SCRIPTS = infraScripts();

function run(script: string, command: string, env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((done, fail) => {
    execFile('bash', [join(SCRIPTS, script), command], { env: { ...process.env, ...env }, timeout: 180_000 }, (error, stdout, stderr) => {
      if (error) fail(new Error(`scripts/infra/${script} ${command} failed: ${error.message}\n${stdout}${stderr}`));
      else done(`${stdout}${stderr}`);
    });
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * A broker of its own for one chaos test, started by the project's scripts/infra on free loopback ports and a
 * temporary data folder, so killing it (`kill -9`) does not disturb the shared brokers other tests use.
 * Slow to start (RabbitMQ and Kafka take ~10 s each): use it only where a test must crash the broker.
 */
export class PrivateBroker {
  private constructor(
    readonly kind: PrivateBrokerKind,
    private readonly env: NodeJS.ProcessEnv,
    private readonly dir: string,
    /** `amqp://…` for RabbitMQ, `host:port` for Kafka. */
    readonly address: string,
  ) {}

  /** Installs (when missing) and starts a `kind` broker; resolves once it accepts clients. */
  static async start(kind: PrivateBrokerKind): Promise<PrivateBroker> {
    const dir = mkdtempSync(join(tmpdir(), `nestkit-${kind}-`));
    const [a, b, c] = [await freePort(), await freePort(), await freePort()];
    const env: NodeJS.ProcessEnv =
      kind === 'rabbitmq'
        ? { NESTKIT_INFRA_DIR: dir, NESTKIT_RABBITMQ_PORT: String(a), NESTKIT_RABBITMQ_DIST_PORT: String(b), NESTKIT_RABBITMQ_EPMD_PORT: String(c) }
        : { NESTKIT_INFRA_DIR: dir, NESTKIT_KAFKA_PORT: String(a), NESTKIT_KAFKA_CONTROLLER_PORT: String(b) };
    const address = kind === 'rabbitmq' ? `amqp://nestkit:nestkit@127.0.0.1:${a}` : `127.0.0.1:${a}`;
    const broker = new PrivateBroker(kind, env, dir, address);
    await broker.up();
    return broker;
  }

  /** Starts the broker again after {@link kill9}, on the same ports and data, and waits until it is ready. */
  async up(): Promise<void> {
    await run(`${this.kind}.sh`, 'up', this.env);
  }

  /** Kills the broker's whole process group with SIGKILL, as a crash or an OOM kill would, and waits until it is gone. */
  async kill9(): Promise<void> {
    const pid = this.pid();
    if (pid === undefined) throw new Error(`${this.kind} in ${this.dir} is not running; nothing to kill`);
    process.kill(-pid, 'SIGKILL');
    const deadline = Date.now() + 10_000;
    while (alive(pid)) {
      if (Date.now() > deadline) throw new Error(`${this.kind} pid ${pid} survived SIGKILL for 10 s`);
      await new Promise((done) => setTimeout(done, 50));
    }
  }

  /** Stops the broker (and, for RabbitMQ, its epmd) by pid and deletes its data. */
  async stop(): Promise<void> {
    await run(`${this.kind}.sh`, 'down', this.env).catch(() => undefined);
    rmSync(this.dir, { recursive: true, force: true });
  }

  private pid(): number | undefined {
    try {
      const pid = Number(readFileSync(join(this.dir, this.kind, `${this.kind}.pid`), 'utf8').split('\n')[0]);
      return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
    } catch {
      return undefined;
    }
  }
}
