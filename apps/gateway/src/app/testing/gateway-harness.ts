import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestTokens } from '@nestkit/auth/testing';
import type { RunningService } from '@nestkit/bootstrap';
import { InMemoryRegistry, type ServiceInstance } from '@nestkit/discovery';
import { waitFor } from '@nestkit/testing';
import { main } from '../../main';
import { FakeIdentityServer, listenOnLoopback } from './fake-identity.server';

/**
 * A gateway started in this process on a routes file of the test's own, with the shared in-memory
 * registry as its discovery (the test registers its upstreams there, with versions and metadata), and a
 * fake identity for the key set. `rewriteRoutes` replaces the file the way an editor does (write, rename).
 */
export class GatewayHarness {
  private constructor(
    readonly gateway: RunningService,
    readonly identity: FakeIdentityServer,
    readonly routesFile: string,
    private readonly dir: string,
  ) {}

  get url(): string {
    return this.gateway.url;
  }

  static async start(routesYaml: string, env: Record<string, string> = {}, identity?: FakeIdentityServer): Promise<GatewayHarness> {
    const dir = mkdtempSync(join(tmpdir(), 'nestkit-gw-'));
    const routesFile = join(dir, 'routes.yaml');
    writeFileSync(routesFile, routesYaml);
    const keys = identity ?? (await FakeIdentityServer.start({ id: 'gateway', secret: 'unused-secret-0123456789' }));
    const gateway = await main({
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      REGISTRY: 'memory',
      GATEWAY_ROUTES_FILE: routesFile,
      AUTH_JWKS_URL: `http://${keys.address}/.well-known/jwks.json`,
      AUTH_ISSUER: TestTokens.issuer,
      AUTH_AUDIENCE: TestTokens.audience,
      ...env,
    });
    return new GatewayHarness(gateway, keys, routesFile, dir);
  }

  /** A user access token for `subject`. */
  token(subject = 'user-1', roles: string[] = ['user']): Promise<string> {
    return this.identity.tokens.sign({ subject, roles });
  }

  rewriteRoutes(yaml: string): void {
    const next = `${this.routesFile}.next`;
    writeFileSync(next, yaml);
    renameSync(next, this.routesFile);
  }

  async close(closeIdentity = true): Promise<void> {
    await this.gateway.close();
    if (closeIdentity) this.identity.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A loopback upstream registered in the shared in-memory registry; `handler` answers, default 200 JSON naming it. */
export class TestUpstream {
  readonly seen: IncomingMessage[] = [];
  instance!: ServiceInstance;
  private readonly server: Server;

  private constructor(
    readonly id: string,
    handler: (req: IncomingMessage, res: ServerResponse, self: TestUpstream) => void,
  ) {
    this.server = createServer((req, res) => {
      this.seen.push(req);
      handler(req, res, this);
    });
  }

  static async start(
    options: { service: string; id: string; version?: string; metadata?: Record<string, string> },
    handler: (req: IncomingMessage, res: ServerResponse, self: TestUpstream) => void = (req, res, self) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ served: self.id, path: req.url }));
    },
  ): Promise<TestUpstream> {
    const sut = new TestUpstream(options.id, handler);
    const address = await listenOnLoopback(sut.server);
    const port = Number(address.split(':').pop());
    sut.instance = { id: options.id, service: options.service, host: '127.0.0.1', port, version: options.version ?? '1.0.0', metadata: options.metadata ?? {}, status: 'up' };
    await InMemoryRegistry.shared().register(sut.instance);
    return sut;
  }

  /** Registers the instance again (after `deregister`). */
  async register(): Promise<void> {
    await InMemoryRegistry.shared().register(this.instance);
  }

  async deregister(): Promise<void> {
    await InMemoryRegistry.shared().deregister(this.instance.id);
  }

  async close(): Promise<void> {
    await this.deregister();
    this.server.closeAllConnections();
    this.server.close();
  }
}

/** Polls `check` until it returns true, failing after `timeoutMs` with an error naming `what` (`waitFor`, for boolean checks). */
export async function until(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 5_000): Promise<void> {
  await waitFor(async () => (await check()) || undefined, { what, timeoutMs, intervalMs: 20 });
}
