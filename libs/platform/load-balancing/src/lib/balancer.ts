/** Anything a balancer can choose between; discovery's `ServiceInstance` fits. */
export interface Balanceable {
  readonly id: string;
}

/**
 * Chooses one of the candidates for the next call (Go kit's `lb.Balancer`). The candidate list is
 * passed in on every call, from `instancer.instances(service)`, so the call site shows where the
 * instances come from and one balancer never holds a stale copy of them.
 */
export interface Balancer<T extends Balanceable = Balanceable> {
  /**
   * Returns the chosen candidate, or `undefined` when there are none. `key` is an affinity hint
   * (a user or tenant id) for strategies that hash it; the others ignore it.
   */
  pick(candidates: readonly T[], key?: string): T | undefined;
}
