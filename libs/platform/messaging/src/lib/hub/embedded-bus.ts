import { IpcPeer, launcherEndpoint } from '@nestkit/ipc';
import { InMemoryBus } from '../in-memory/in-memory.bus';
import type { Publisher } from '../publisher';
import type { Subscriber } from '../subscriber';
import { BUS_CHANNEL } from './hub-protocol';
import { HubBus } from './hub.bus';

const HUB_BUS = Symbol.for('nestkit.messaging.hub-bus');

/**
 * The embedded (`BUS=memory`) bus of this process: the parent's bus over IPC when `npm start` forked
 * this service, else the process-wide {@link InMemoryBus} (one process, tests).
 */
export function embeddedBus(env: NodeJS.ProcessEnv = process.env): Publisher & Subscriber {
  const endpoint = launcherEndpoint(env);
  if (!endpoint) return InMemoryBus.shared();
  const holder = globalThis as { [HUB_BUS]?: HubBus };
  holder[HUB_BUS] ??= new HubBus(new IpcPeer(endpoint, BUS_CHANNEL));
  return holder[HUB_BUS];
}
