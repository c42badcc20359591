import type { InstancesListener, ServiceDirectory } from './instancer';
import { parseStaticInstances, type RejectedEntry } from './parse-static-instances';
import type { ServiceInstance } from './service-instance';

/**
 * An {@link Instancer} over a fixed list given at construction, for deployments where addresses are
 * configuration (`DISCOVERY_STATIC=catalog=10.0.0.5:4002`). The list never changes, so subscribers hear
 * once.
 */
export class StaticInstancer implements ServiceDirectory {
  private readonly byService = new Map<string, readonly ServiceInstance[]>();
  private readonly byId = new Map<string, ServiceInstance>();

  constructor(instances: readonly ServiceInstance[]) {
    for (const instance of instances) {
      const frozen = Object.freeze({ ...instance, metadata: Object.freeze({ ...instance.metadata }) });
      this.byId.set(frozen.id, frozen);
    }
    for (const instance of this.byId.values()) {
      if (instance.status !== 'up') continue;
      this.byService.set(instance.service, Object.freeze([...this.instances(instance.service), instance]));
    }
  }

  /** Builds an instancer from a spec string; skipped entries go to `onRejected` (see `parseStaticInstances`). */
  static fromSpec(spec: string, onRejected: (rejected: RejectedEntry) => void = () => undefined): StaticInstancer {
    const { instances, rejected } = parseStaticInstances(spec);
    rejected.forEach(onRejected);
    return new StaticInstancer(instances);
  }

  instances(service: string): readonly ServiceInstance[] {
    return this.byService.get(service) ?? [];
  }

  instance(id: string): ServiceInstance | undefined {
    return this.byId.get(id);
  }

  subscribe(service: string, listener: InstancesListener): () => void {
    listener(this.instances(service));
    return () => undefined;
  }

  all(): readonly ServiceInstance[] {
    return [...this.byId.values()];
  }

  /** The list never changes. */
  onChange(): () => void {
    return () => undefined;
  }
}
