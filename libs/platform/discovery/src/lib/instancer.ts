import type { ServiceInstance } from './service-instance';

/** Receives the full list of healthy instances of one service each time it changes. */
export type InstancesListener = (instances: readonly ServiceInstance[]) => void;

/**
 * Answers "where does service X run right now" from a local cache (Go kit's `sd.Instancer`).
 * Reads never go to the network, so callers may ask on every request.
 */
export interface Instancer {
  /** The instances of `service` whose status is `up`; empty when none. */
  instances(service: string): readonly ServiceInstance[];
  /** Looks an instance up by id, whatever its status. */
  instance(id: string): ServiceInstance | undefined;
  /**
   * Calls `listener` at once with the current healthy list, then on every change to it.
   * Returns the function that unsubscribes.
   */
  subscribe(service: string, listener: InstancesListener): () => void;
}

/**
 * An {@link Instancer} that also knows every service in the registry, not only the ones asked for by
 * name: what a gateway needs to route services it has never heard of (their routes are in their
 * registration's metadata, see `announceRoutes`). The in-memory, hub, etcd and static backends are
 * directories; DNS is not (it can only resolve names it is given).
 */
export interface ServiceDirectory extends Instancer {
  /** Every known instance, of every service, whatever its status. */
  all(): readonly ServiceInstance[];
  /** Calls `listener` after any change to any instance. Returns the function that unsubscribes. */
  onChange(listener: () => void): () => void;
}

/** The instancer as a {@link ServiceDirectory}, or undefined when its backend cannot list services (DNS). */
export function serviceDirectoryOf(instancer: Instancer): ServiceDirectory | undefined {
  const candidate = instancer as Partial<ServiceDirectory>;
  return typeof candidate.all === 'function' && typeof candidate.onChange === 'function' ? (instancer as ServiceDirectory) : undefined;
}
