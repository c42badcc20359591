import { NotFoundError, ValidationError, type FieldIssue } from '@nestkit/errors';
import type { InstancesListener, ServiceDirectory } from './instancer';
import type { RegisterOptions, Registrar } from './registrar';
import type { InstanceStatus, ServiceInstance } from './service-instance';

const SHARED = Symbol.for('nestkit.discovery.in-memory');

interface Entry {
  instance: ServiceInstance;
  ttlMs?: number;
  lease?: NodeJS.Timeout;
}

/**
 * A registry held in process memory that is both {@link Registrar} and {@link Instancer}: the embedded
 * default when every service runs in one Node process. Leases (`ttlMs`) expire on timers, so an instance
 * that stops renewing disappears as it would from etcd or Consul.
 */
export class InMemoryRegistry implements Registrar, ServiceDirectory {
  private readonly entries = new Map<string, Entry>();
  private readonly healthy = new Map<string, readonly ServiceInstance[]>();
  private readonly listeners = new Map<string, Set<InstancesListener>>();
  private readonly changeListeners = new Set<() => void>();

  /**
   * The process-wide registry, kept on `globalThis` so that apps started in the same process (and two
   * copies of this module) see one another.
   */
  static shared(): InMemoryRegistry {
    const holder = globalThis as { [SHARED]?: InMemoryRegistry };
    holder[SHARED] ??= new InMemoryRegistry();
    return holder[SHARED];
  }

  async register(instance: ServiceInstance, options: RegisterOptions = {}): Promise<void> {
    assertValid(instance, options);
    const previous = this.entries.get(instance.id);
    if (previous) clearTimeout(previous.lease);
    const stored = Object.freeze({ ...instance, metadata: Object.freeze({ ...instance.metadata }) });
    const entry: Entry = { instance: stored, ttlMs: options.ttlMs };
    this.entries.set(instance.id, entry);
    this.arm(entry);
    if (previous && previous.instance.service !== stored.service) this.refresh(previous.instance.service);
    this.refresh(stored.service);
    this.changed();
  }

  async deregister(id: string): Promise<void> {
    const entry = this.entries.get(id);
    if (!entry) return;
    this.remove(entry);
  }

  async setStatus(id: string, status: InstanceStatus): Promise<void> {
    const entry = this.require(id);
    if (entry.instance.status === status) return;
    entry.instance = Object.freeze({ ...entry.instance, status });
    this.refresh(entry.instance.service);
    this.changed();
  }

  /** Extends the lease of an instance registered with `ttlMs`; rejects once the lease has expired. */
  async renew(id: string): Promise<void> {
    this.arm(this.require(id));
  }

  instances(service: string): readonly ServiceInstance[] {
    return this.healthy.get(service) ?? [];
  }

  instance(id: string): ServiceInstance | undefined {
    return this.entries.get(id)?.instance;
  }

  /** Every registered instance, whatever its status and service. */
  all(): readonly ServiceInstance[] {
    return [...this.entries.values()].map((entry) => entry.instance);
  }

  /** Calls `listener` after any change to any entry (registration, status, removal, expiry). */
  onChange(listener: () => void): () => void {
    this.changeListeners.add(listener);
    return () => {
      this.changeListeners.delete(listener);
    };
  }

  subscribe(service: string, listener: InstancesListener): () => void {
    const set = this.listeners.get(service) ?? new Set<InstancesListener>();
    this.listeners.set(service, set);
    set.add(listener);
    notify(listener, this.instances(service));
    return () => {
      set.delete(listener);
    };
  }

  private require(id: string): Entry {
    const entry = this.entries.get(id);
    if (!entry) throw new NotFoundError(`Instance "${id}" is not registered`, 'discovery.instance-not-found');
    return entry;
  }

  private arm(entry: Entry): void {
    if (entry.ttlMs === undefined) return;
    clearTimeout(entry.lease);
    entry.lease = setTimeout(() => this.remove(entry), entry.ttlMs);
    // A lease must not keep a process alive that has nothing else to do.
    entry.lease.unref();
  }

  private remove(entry: Entry): void {
    clearTimeout(entry.lease);
    this.entries.delete(entry.instance.id);
    this.refresh(entry.instance.service);
    this.changed();
  }

  private changed(): void {
    for (const listener of this.changeListeners) notify(listener, []);
  }

  private refresh(service: string): void {
    const next = Object.freeze(
      [...this.entries.values()].map((e) => e.instance).filter((i) => i.service === service && i.status === 'up'),
    );
    if (sameInstances(this.instances(service), next)) return;
    if (next.length === 0) this.healthy.delete(service);
    else this.healthy.set(service, next);
    for (const listener of this.listeners.get(service) ?? []) notify(listener, next);
  }
}

function sameInstances(a: readonly ServiceInstance[], b: readonly ServiceInstance[]): boolean {
  return a.length === b.length && a.every((instance, i) => instance === b[i]);
}

function notify(listener: InstancesListener, instances: readonly ServiceInstance[]): void {
  try {
    listener(instances);
  } catch (error) {
    // One faulty subscriber must not stop the others from hearing about the change, nor fail the
    // registration that caused it.
    process.emitWarning(error instanceof Error ? error : String(error), 'DiscoveryListenerError');
  }
}

function assertValid(instance: ServiceInstance, options: RegisterOptions): void {
  const issues: FieldIssue[] = [];
  if (!instance.id) issues.push({ path: 'id', message: 'must not be empty' });
  if (!instance.service) issues.push({ path: 'service', message: 'must not be empty' });
  if (!instance.host) issues.push({ path: 'host', message: 'must not be empty' });
  if (!Number.isInteger(instance.port) || instance.port < 1 || instance.port > 65_535) {
    issues.push({ path: 'port', message: 'must be an integer between 1 and 65535' });
  }
  if (options.ttlMs !== undefined && !(options.ttlMs > 0)) issues.push({ path: 'ttlMs', message: 'must be positive' });
  if (issues.length > 0) throw new ValidationError(`Invalid instance "${instance.id}"`, issues, 'discovery.invalid-instance');
}
