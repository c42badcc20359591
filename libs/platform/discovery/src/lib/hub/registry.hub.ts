import type { IpcPeer } from '@nestkit/ipc';
import type { InMemoryRegistry } from '../in-memory.registry';
import type { RegisterOptions } from '../registrar';
import type { InstanceStatus, ServiceInstance } from '../service-instance';

/**
 * The parent side of the embedded registry: one {@link InMemoryRegistry} serving every service process
 * of `npm start`. Each process's registrations are its own; when a process goes away (even by
 * `kill -9`), its instances are removed at once, as a lease would expire. Every change is pushed to
 * every process as a full snapshot, which their local caches apply.
 */
export class RegistryHub {
  private readonly watchers = new Set<IpcPeer>();

  constructor(private readonly registry: InMemoryRegistry) {
    registry.onChange(() => {
      const snapshot = registry.all();
      for (const watcher of this.watchers) watcher.notify('snapshot', snapshot);
    });
  }

  /** Serves one service process, until its channel closes. */
  attach(peer: IpcPeer): void {
    const owned = new Set<string>();
    peer.handle('register', async (body) => {
      const { instance, options } = body as { instance: ServiceInstance; options?: RegisterOptions };
      await this.registry.register(instance, options);
      owned.add(instance.id);
    });
    peer.handle('deregister', async (body) => {
      const { id } = body as { id: string };
      await this.registry.deregister(id);
      owned.delete(id);
    });
    peer.handle('setStatus', (body) => {
      const { id, status } = body as { id: string; status: InstanceStatus };
      return this.registry.setStatus(id, status);
    });
    peer.handle('watch', () => {
      this.watchers.add(peer);
      return this.registry.all();
    });
    peer.onClose(() => {
      this.watchers.delete(peer);
      for (const id of owned) void this.registry.deregister(id);
    });
  }
}
