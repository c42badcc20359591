import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, infraUrls, uniqueName, waitFor } from '@nestkit/testing';
import { instanceIds } from './http';
import { StandaloneService } from './standalone-service';
import { TestIdentity } from './test-identity';

/** How {@link EtcdPlatform.start} sets the platform up. */
export interface EtcdPlatformOptions {
  /** Names the run's etcd prefix (`/<name>-<unique>/`), so parallel runs never see each other's instances. */
  readonly name: string;
  /** Registration lease of every instance (`REGISTRATION_TTL_MS`). */
  readonly ttlMs: number;
  /** Catalog replicas started at once. Default 3. */
  readonly catalogs?: number;
}

/**
 * A gateway and catalog replicas, each its own process as containers run them, finding each other through
 * etcd (the real server from scripts/infra) with a {@link TestIdentity} as token issuer. `start` resolves
 * once the gateway is ready and lists every catalog replica.
 */
export class EtcdPlatform {
  /** The catalog processes in start order; stop one with `SIGKILL` to simulate a crash. */
  readonly catalogs: StandaloneService[] = [];
  private gatewayProcess: StandaloneService | undefined;
  private adminToken = '';
  private readonly dataDir = mkdtempSync(join(tmpdir(), 'nestkit-etcd-platform-'));
  private readonly env: Record<string, string>;

  private constructor(
    /** The gateway's base URL, e.g. `http://127.0.0.1:41234`. */
    readonly gateway: string,
    private readonly identity: TestIdentity,
    options: EtcdPlatformOptions,
  ) {
    this.env = { REGISTRY: 'etcd', ETCD_URL: infraUrls().etcdUrl, ETCD_PREFIX: `/${uniqueName(options.name)}/`, REGISTRATION_TTL_MS: String(options.ttlMs) };
  }

  /** Starts identity, the gateway and the catalog replicas; stops what it started when they do not come up. */
  static async start(options: EtcdPlatformOptions): Promise<EtcdPlatform> {
    const port = await freePort();
    const platform = new EtcdPlatform(`http://127.0.0.1:${port}`, await TestIdentity.start(), options);
    try {
      platform.adminToken = await platform.identity.adminToken();
      platform.gatewayProcess = StandaloneService.start('gateway', { ...platform.env, ...platform.identity.clientEnv(), PORT: String(port) });
      const replicas = options.catalogs ?? 3;
      for (let n = 0; n < replicas; n += 1) platform.startCatalog();
      await platform.waitUntil(async () => (await fetch(`${platform.gateway}/health/ready`, { signal: AbortSignal.timeout(2_000) }).catch(() => undefined))?.ok, 'the gateway to be ready', 30_000);
      await platform.waitForCatalogs(replicas, `${replicas} catalog instances in etcd`, 30_000);
      return platform;
    } catch (error) {
      await platform.stop();
      throw error;
    }
  }

  /** Starts one more catalog replica, with a database of its own. */
  startCatalog(): StandaloneService {
    const n = this.catalogs.length + 1;
    // The gateway's client settings: catalog, too, takes service tokens from identity (to sign its answers).
    const service = StandaloneService.start('catalog', { ...this.env, ...this.identity.clientEnv(), PORT: '0', DATABASE_URL: `sqlite:${this.dataDir}/catalog-${n}.db` });
    this.catalogs.push(service);
    return service;
  }

  /** Ids of the catalog instances the gateway routes to (sorted). */
  catalogIds(): Promise<string[]> {
    return instanceIds(this.gateway, 'catalog', this.adminToken);
  }

  /** Resolves with the catalog ids once the gateway lists exactly `count`; on timeout the error carries every process's log. */
  waitForCatalogs(count: number, what: string, timeoutMs = 20_000): Promise<string[]> {
    return this.waitUntil(async () => {
      const ids = await this.catalogIds();
      return ids.length === count ? ids : undefined;
    }, what, timeoutMs);
  }

  /** Kills every process at once (`SIGKILL`), stops identity and deletes the replicas' databases. */
  async stop(): Promise<void> {
    await Promise.all(this.processes.map((p) => p.stop('SIGKILL')));
    this.identity.close();
    rmSync(this.dataDir, { recursive: true, force: true });
  }

  private get processes(): StandaloneService[] {
    return this.gatewayProcess ? [this.gatewayProcess, ...this.catalogs] : this.catalogs;
  }

  private async waitUntil<T>(probe: () => Promise<T | undefined | false>, what: string, timeoutMs: number): Promise<T> {
    try {
      return await waitFor(probe, { what, timeoutMs, intervalMs: 50 });
    } catch (error) {
      throw new Error(`${(error as Error).message}\n${this.processes.map((p) => `--- ${p.name} (pid ${p.pid})\n${p.logs}`).join('\n')}`);
    }
  }
}
