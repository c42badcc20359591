import type { InstanceStatus, ServiceInstance } from './service-instance';

/** Options for {@link Registrar.register}. */
export interface RegisterOptions {
  /**
   * Lease length. When set, the instance disappears unless renewed within this many milliseconds,
   * so a process that dies without deregistering stops receiving traffic.
   */
  readonly ttlMs?: number;
}

/** Publishes this process's instances into the registry (Go kit's `sd.Registrar`). */
export interface Registrar {
  /** Adds or replaces the instance with the same id. */
  register(instance: ServiceInstance, options?: RegisterOptions): Promise<void>;
  /** Removes the instance; unknown ids are ignored so shutdown paths can call it unconditionally. */
  deregister(id: string): Promise<void>;
  /** Changes the status of a registered instance; rejects with `NotFoundError` for an unknown id. */
  setStatus(id: string, status: InstanceStatus): Promise<void>;
}
