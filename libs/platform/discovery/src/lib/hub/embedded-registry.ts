import { IpcPeer, parentEndpoint } from '@nestkit/ipc';
import { InMemoryRegistry } from '../in-memory.registry';
import type { Instancer } from '../instancer';
import type { Registrar } from '../registrar';
import { HubRegistry } from './hub.registry';
import { REGISTRY_CHANNEL } from './registry-hub-protocol';

const HUB_REGISTRY = Symbol.for('nestkit.discovery.hub-registry');

/** Set by `npm start`'s launcher in each service process it forks: the embedded hub lives in the parent. */
export const EMBEDDED_HUB_ENV = 'NESTKIT_EMBEDDED_HUB';

/**
 * The embedded (`REGISTRY=memory`) registry of this process: the parent's registry over IPC when
 * `npm start` forked this service, else the process-wide {@link InMemoryRegistry} (one process, tests).
 */
export async function embeddedRegistry(env: NodeJS.ProcessEnv = process.env): Promise<Registrar & Instancer> {
  const endpoint = env[EMBEDDED_HUB_ENV] === 'ipc' ? parentEndpoint() : undefined;
  if (!endpoint) return InMemoryRegistry.shared();
  const holder = globalThis as { [HUB_REGISTRY]?: Promise<HubRegistry> };
  holder[HUB_REGISTRY] ??= (async () => {
    const registry = new HubRegistry(new IpcPeer(endpoint, REGISTRY_CHANNEL));
    await registry.connect();
    return registry;
  })();
  return holder[HUB_REGISTRY];
}
