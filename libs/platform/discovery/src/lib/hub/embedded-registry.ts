import { IpcPeer, launcherEndpoint } from '@nestkit/ipc';
import { InMemoryRegistry } from '../in-memory.registry';
import type { Instancer } from '../instancer';
import type { Registrar } from '../registrar';
import { HubRegistry } from './hub.registry';
import { REGISTRY_CHANNEL } from './registry-hub-protocol';

const HUB_REGISTRY = Symbol.for('nestkit.discovery.hub-registry');

/**
 * The embedded (`REGISTRY=memory`) registry of this process: the parent's registry over IPC when
 * `npm start` forked this service, else the process-wide {@link InMemoryRegistry} (one process, tests).
 */
export async function embeddedRegistry(env: NodeJS.ProcessEnv = process.env): Promise<Registrar & Instancer> {
  const endpoint = launcherEndpoint(env);
  if (!endpoint) return InMemoryRegistry.shared();
  const holder = globalThis as { [HUB_REGISTRY]?: Promise<HubRegistry> };
  holder[HUB_REGISTRY] ??= (async () => {
    const registry = new HubRegistry(new IpcPeer(endpoint, REGISTRY_CHANNEL));
    await registry.connect();
    return registry;
  })();
  return holder[HUB_REGISTRY];
}
