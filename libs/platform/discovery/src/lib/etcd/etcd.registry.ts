import { NotFoundError, ValidationError } from '@nestkit/errors';
import { InMemoryRegistry } from '../in-memory.registry';
import type { InstancesListener, ServiceDirectory } from '../instancer';
import type { RegisterOptions, Registrar } from '../registrar';
import type { InstanceStatus, ServiceInstance } from '../service-instance';
import type { RegistryStatus } from '../registry-status';
import { EtcdConnectionStatus } from './etcd-connection.status';
import { type EtcdEvent, EtcdHttpClient, type EtcdKeyValue } from './etcd-http.client';
import { decodeInstance, encodeInstance, instanceIssues, parseInstanceKey } from './etcd-instance.codec';
import { type EtcdRegistryOptions, resolveEtcdRegistryOptions, type ResolvedEtcdRegistryOptions } from './etcd-registry.options';
import { EtcdRegistration } from './etcd.registration';
import { EtcdWatcher, type WatchSink } from './etcd.watcher';

/** Options of {@link EtcdRegistry.close}. */
export interface EtcdCloseOptions {
  /** Delete this process's keys and revoke their leases (default). `false` leaves them to expire, as kill -9 would. */
  readonly revoke?: boolean;
}

/**
 * A {@link Registrar} and {@link Instancer} backed by etcd v3: each registered instance is a key
 * `<prefix><service>/<id>` holding its JSON, attached to a lease this process keeps alive, so a process
 * that dies disappears within its TTL. Reads come from a local cache filled by one range read and kept
 * current by a watch; when etcd is unreachable the cache keeps serving the last known list, the watch
 * reconnects with backoff, and {@link EtcdRegistry.status} reports `degraded`.
 *
 * Writes resolve once the cache reflects them, so a read right after `await register(...)` sees it.
 */
export class EtcdRegistry implements Registrar, ServiceDirectory {
  private readonly options: ResolvedEtcdRegistryOptions;
  private readonly client: EtcdHttpClient;
  private readonly connection: EtcdConnectionStatus;
  private readonly watcher: EtcdWatcher;
  private readonly cache = new InMemoryRegistry();
  private readonly registrations = new Map<string, EtcdRegistration>();
  private started = false;

  constructor(options: EtcdRegistryOptions) {
    this.options = resolveEtcdRegistryOptions(options);
    const { url, requestTimeoutMs, fetch, prefix, probeIntervalMs, reconnect } = this.options;
    this.client = new EtcdHttpClient({ url, timeoutMs: requestTimeoutMs, fetch });
    this.connection = new EtcdConnectionStatus(this.options.onStatusChange);
    const sink: WatchSink = { reset: (kvs) => this.reset(kvs), apply: (event) => this.apply(event) };
    this.watcher = new EtcdWatcher(this.client, { prefix, probeIntervalMs, backoff: reconnect }, sink, this.connection);
  }

  /** Loads the registry and starts watching it; rejects (with `UnavailableError`) when etcd cannot be read. */
  async start(): Promise<void> {
    await this.watcher.start();
    this.started = true;
  }

  /** Whether the cache is being kept current (`connected`) or is serving its last known list (`degraded`). */
  status(): RegistryStatus {
    return this.connection.get();
  }

  async register(instance: ServiceInstance, options: RegisterOptions = {}): Promise<void> {
    this.assertStarted();
    assertValid(instance, options);
    const ttlSeconds = Math.ceil((options.ttlMs ?? this.options.defaultTtlMs) / 1000);
    const existing = this.registrations.get(instance.id);
    const registration = existing ?? new EtcdRegistration(this.client, this.options.prefix, instance, ttlSeconds, this.connection, (revision) => this.settle(revision));
    this.registrations.set(instance.id, registration);
    try {
      await this.settle(await registration.publish(instance, ttlSeconds));
    } catch (error) {
      if (!existing) this.registrations.delete(instance.id);
      throw error;
    }
  }

  /** Deletes the key and revokes the lease; rejects when etcd is unreachable, the lease then expires on its own. */
  async deregister(id: string): Promise<void> {
    const registration = this.registrations.get(id);
    if (!registration) return;
    this.registrations.delete(id);
    await this.settle(await registration.stop(true));
  }

  /** Rewrites the value on the same lease; only instances registered through this registry can be changed. */
  async setStatus(id: string, status: InstanceStatus): Promise<void> {
    const registration = this.registrations.get(id);
    if (!registration) throw new NotFoundError(`Instance "${id}" is not registered here`, 'discovery.instance-not-found');
    if (registration.instance.status === status) return;
    await this.settle(await registration.publish({ ...registration.instance, status }));
  }

  instances(service: string): readonly ServiceInstance[] {
    return this.cache.instances(service);
  }

  instance(id: string): ServiceInstance | undefined {
    return this.cache.instance(id);
  }

  subscribe(service: string, listener: InstancesListener): () => void {
    return this.cache.subscribe(service, listener);
  }

  /** Every cached instance, of every service (see `ServiceDirectory`). */
  all(): readonly ServiceInstance[] {
    return this.cache.all();
  }

  /** Calls `listener` after any change to the cache. */
  onChange(listener: () => void): () => void {
    return this.cache.onChange(listener);
  }

  /** Stops the watch and the renewals and, unless `revoke: false`, removes this process's instances. */
  async close(options: EtcdCloseOptions = {}): Promise<void> {
    const registrations = [...this.registrations.values()];
    this.registrations.clear();
    // Failures are left to the leases: each key expires within its TTL anyway.
    this.started = false;
    await Promise.allSettled(registrations.map((registration) => registration.stop(options.revoke ?? true)));
    await this.watcher.close();
  }

  private assertStarted(): void {
    if (!this.started) throw new Error('EtcdRegistry is not running: await start() before writing, and do not write after close()');
  }

  private async settle(revision: number): Promise<void> {
    if (revision > 0) await this.watcher.waitFor(revision, this.options.requestTimeoutMs);
  }

  private reset(kvs: readonly EtcdKeyValue[]): void {
    const present = new Set<string>();
    for (const kv of kvs) {
      const id = this.put(kv);
      if (id !== undefined) present.add(id);
    }
    for (const cached of this.cache.all()) if (!present.has(cached.id)) void this.cache.deregister(cached.id);
  }

  private apply(event: EtcdEvent): void {
    if (event.type === 'put') this.put(event.kv);
    else this.remove(event.key);
  }

  /** Caches the instance under `kv` and returns its id, or reports it and drops what the key held before. */
  private put(kv: EtcdKeyValue): string | undefined {
    const decoded = decodeInstance(this.options.prefix, kv.key, kv.value);
    if (!decoded.ok) {
      this.remove(kv.key);
      this.options.onMalformed({ key: kv.key, reason: decoded.reason });
      return undefined;
    }
    const cached = this.cache.instance(decoded.instance.id);
    if (!cached || encodeInstance(cached) !== encodeInstance(decoded.instance)) void this.cache.register(decoded.instance);
    return decoded.instance.id;
  }

  private remove(key: string): void {
    const named = parseInstanceKey(this.options.prefix, key);
    if (named && this.cache.instance(named.id)?.service === named.service) void this.cache.deregister(named.id);
  }
}

function assertValid(instance: ServiceInstance, options: RegisterOptions): void {
  const issues = instanceIssues(instance);
  if (options.ttlMs !== undefined && !(options.ttlMs > 0)) issues.push({ path: 'ttlMs', message: 'must be positive' });
  if (issues.length > 0) throw new ValidationError(`Invalid instance "${instance.id}"`, issues, 'discovery.invalid-instance');
}
