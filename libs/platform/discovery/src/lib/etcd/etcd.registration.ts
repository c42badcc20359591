import { NotFoundError } from '@nestkit/errors';
import type { ServiceInstance } from '../service-instance';
import type { EtcdConnectionStatus } from './etcd-connection.status';
import type { EtcdHttpClient } from './etcd-http.client';
import { encodeInstance, instanceKey } from './etcd-instance.codec';

/** The calls a registration makes, so that a fake can stand in for etcd in unit tests. */
export type LeaseClient = Pick<EtcdHttpClient, 'grant' | 'keepAlive' | 'revoke' | 'put' | 'delete'>;

/**
 * One instance this process publishes: its key, written with a lease that is renewed every third of its
 * TTL. When a renewal finds the lease gone (etcd was unreachable for longer than the TTL) the key is
 * written again under a new lease, so the instance reappears once etcd is back.
 */
export class EtcdRegistration {
  private lease?: string;
  private timer?: NodeJS.Timeout;
  private queue: Promise<unknown> = Promise.resolve();
  private renewing = false;
  private stopped = false;

  constructor(
    private readonly client: LeaseClient,
    private readonly prefix: string,
    private current: ServiceInstance,
    private ttlSeconds: number,
    private readonly status: EtcdConnectionStatus,
    /** Waits until the registry's own cache shows a write (its revision); see `EtcdRegistry.settle`. */
    private readonly settle: (revision: number) => Promise<void> = async () => undefined,
  ) {}

  get instance(): ServiceInstance {
    return this.current;
  }

  private get part(): string {
    return `lease:${this.current.id}`;
  }

  /**
   * Writes `instance` (the same id) under this registration's lease, granting one first when needed,
   * and keeps renewing it. Resolves with the revision of the last write under the prefix, 0 for none.
   */
  publish(instance: ServiceInstance = this.current, ttlSeconds = this.ttlSeconds): Promise<number> {
    return this.serial(async () => {
      const previousKey = instanceKey(this.prefix, this.current);
      const previousLease = ttlSeconds === this.ttlSeconds ? undefined : this.lease;
      if (previousLease) this.lease = undefined;
      this.current = instance;
      this.ttlSeconds = ttlSeconds;
      let revision = await this.write();
      if (previousKey !== instanceKey(this.prefix, instance)) revision = await this.remove(previousKey, revision);
      // The key now lives on the new lease, so revoking the old one deletes nothing.
      if (previousLease) await this.client.revoke(previousLease).catch(() => undefined);
      this.schedule();
      return revision;
    });
  }

  /**
   * Stops renewing. With `revoke`, deletes the key and revokes the lease and resolves with the revision of
   * the deletion (0 when there was nothing to delete); without, leaves both to expire, as a crash would.
   */
  stop(revoke: boolean): Promise<number> {
    this.stopped = true;
    clearInterval(this.timer);
    return this.serial(async () => {
      if (!revoke) return 0;
      const revision = await this.remove(instanceKey(this.prefix, this.current), 0);
      if (this.lease) await this.client.revoke(this.lease);
      return revision;
    }).finally(() => this.status.ok(this.part));
  }

  private async write(): Promise<number> {
    const value = encodeInstance(this.current);
    const key = instanceKey(this.prefix, this.current);
    this.lease ??= await this.client.grant(this.ttlSeconds);
    try {
      return await this.client.put(key, value, this.lease);
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
      // The lease expired since the last renewal (etcd was unreachable): start over with a new one.
      this.lease = await this.client.grant(this.ttlSeconds);
      return this.client.put(key, value, this.lease);
    }
  }

  private async remove(key: string, otherwise: number): Promise<number> {
    const { revision, deleted } = await this.client.delete(key);
    return deleted ? revision : otherwise;
  }

  private schedule(): void {
    clearInterval(this.timer);
    if (this.stopped) return;
    this.timer = setInterval(() => void this.renew(), (this.ttlSeconds * 1000) / 3);
    // Renewal must not keep alive a process that has nothing else to do.
    this.timer.unref();
  }

  private async renew(): Promise<void> {
    // A renewal still waiting for its timeout must not be joined by more of them.
    if (this.renewing) return;
    this.renewing = true;
    try {
      const republished = await this.serial(async () => {
        if (this.stopped) return 0;
        const ttl = this.lease ? await this.client.keepAlive(this.lease) : 0;
        if (ttl !== 0) return 0;
        this.lease = undefined;
        return this.write();
      });
      // Healthy again only once this process's own cache shows the instance it published again.
      if (republished > 0) await this.settle(republished);
      this.status.ok(this.part);
    } catch (error) {
      this.status.fail(this.part, error);
    } finally {
      this.renewing = false;
    }
  }

  private serial<T>(task: () => Promise<T>): Promise<T> {
    const result = this.queue.then(task);
    this.queue = result.catch(() => undefined);
    return result;
  }
}
