import { randomUUID } from 'node:crypto';
import { type BeforeApplicationShutdown, Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { REGISTRAR, SELF_REGISTRATION } from './discovery.tokens';
import type { Registrar } from './registrar';
import type { ServiceInstance } from './service-instance';

/** What this process publishes about itself; the address comes later, from `ServiceRegistration.start`. */
export interface SelfRegistration {
  readonly service: string;
  readonly version: string;
  readonly zone?: string;
  readonly metadata?: Record<string, string>;
  /** Host to advertise instead of the bound one, e.g. when listening on `0.0.0.0`. */
  readonly advertiseHost?: string;
  /** Defaults to `<service>-<random>`. */
  readonly id?: string;
  /** Lease for backends that keep instances alive by heartbeat (etcd); the backend renews it. */
  readonly ttlMs?: number;
}

/** Where the HTTP server ended up listening. */
export type ListenAddress = string | { readonly host: string; readonly port: number };

/**
 * Publishes this process in the registry for its lifetime: `start` registers it once the server is
 * listening, shutdown marks it `draining` (so balancers stop picking it while in-flight requests finish)
 * and then deregisters it.
 *
 * Registration is not done in `onApplicationBootstrap` because Nest runs that hook inside `listen()`
 * before the port is bound, and with port 0 the address is not known until afterwards.
 */
@Injectable()
export class ServiceRegistration implements BeforeApplicationShutdown, OnApplicationShutdown {
  private registered?: ServiceInstance;

  constructor(
    @Inject(REGISTRAR) private readonly registrar: Registrar,
    @Inject(SELF_REGISTRATION) private readonly self: SelfRegistration,
  ) {}

  /** The published instance, once `start` has run. */
  get instance(): ServiceInstance | undefined {
    return this.registered;
  }

  /** Registers this process at `address` (`await app.getUrl()` or `{ host, port }`) and returns the instance. */
  async start(address: ListenAddress): Promise<ServiceInstance> {
    const { host, port } = typeof address === 'string' ? fromUrl(address) : address;
    const instance: ServiceInstance = {
      id: this.registered?.id ?? this.self.id ?? `${this.self.service}-${randomUUID().slice(0, 8)}`,
      service: this.self.service,
      host: this.self.advertiseHost ?? host,
      port,
      version: this.self.version,
      zone: this.self.zone,
      // The pid tells instances of one service on one host apart (a supervisor matches its children by it).
      metadata: { pid: String(process.pid), ...this.self.metadata },
      status: 'up',
    };
    await this.registrar.register(instance, this.self.ttlMs === undefined ? undefined : { ttlMs: this.self.ttlMs });
    this.registered = instance;
    return instance;
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.registered) await this.registrar.setStatus(this.registered.id, 'draining');
  }

  async onApplicationShutdown(): Promise<void> {
    if (!this.registered) return;
    await this.registrar.deregister(this.registered.id);
    this.registered = undefined;
  }
}

function fromUrl(address: string): { host: string; port: number } {
  const url = new URL(address);
  return { host: url.hostname.replace(/^\[(.*)\]$/, '$1'), port: Number(url.port) };
}
