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
