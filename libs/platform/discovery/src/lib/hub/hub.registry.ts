import { NotFoundError } from '@nestkit/errors';
import { IpcError, type IpcPeer } from '@nestkit/ipc';
import { InMemoryRegistry } from '../in-memory.registry';
import type { InstancesListener, ServiceDirectory } from '../instancer';
import type { RegisterOptions, Registrar } from '../registrar';
import type { InstanceStatus, ServiceInstance } from '../service-instance';

const NOT_REGISTERED = 'discovery.instance-not-found';

/**
 * A service process's view of the embedded registry under `npm start`: registrations go to the
 * parent's registry over IPC; lookups are served from a local cache the parent keeps current by
 * pushing every change, so reads never cross the process boundary (the Instancer contract).
 */
export class HubRegistry implements Registrar, ServiceDirectory {
  private readonly cache = new InMemoryRegistry();

  constructor(private readonly peer: IpcPeer) {
    peer.handle('snapshot', (all) => this.apply(all as ServiceInstance[]));
  }

  /** Fetches the current registry and starts receiving changes; call once before use. */
  async connect(): Promise<void> {
    this.apply(await this.peer.request<ServiceInstance[]>('watch'));
  }

  async register(instance: ServiceInstance, options?: RegisterOptions): Promise<void> {
    await this.peer.request('register', { instance, options });
  }

  async deregister(id: string): Promise<void> {
    await this.peer.request('deregister', { id });
  }

  async setStatus(id: string, status: InstanceStatus): Promise<void> {
    try {
      await this.peer.request('setStatus', { id, status });
    } catch (error) {
      if (error instanceof IpcError && error.code === NOT_REGISTERED) throw new NotFoundError(error.message, NOT_REGISTERED);
      throw error;
    }
  }

  instances(service: string): readonly ServiceInstance[] {
    return this.cache.instances(service);
  }

  instance(id: string): ServiceInstance | undefined {
    return this.cache.instance(id);
  }

  subscribe(service: string, listener: InstancesListener): () => void {
    return this.cache.subscribe(service, listener);
  }

  /** Every cached instance, of every service (see `ServiceDirectory`). */
  all(): readonly ServiceInstance[] {
    return this.cache.all();
  }

  /** Calls `listener` after any change to the cache. */
  onChange(listener: () => void): () => void {
    return this.cache.onChange(listener);
  }

  private apply(all: readonly ServiceInstance[]): void {
    const ids = new Set(all.map((instance) => instance.id));
    for (const cached of this.cache.all()) {
      if (!ids.has(cached.id)) void this.cache.deregister(cached.id);
    }
    for (const instance of all) {
      if (JSON.stringify(this.cache.instance(instance.id)) !== JSON.stringify(instance)) void this.cache.register(instance);
    }
  }
}
