import { NotFoundError, UnavailableError } from '@nestkit/errors';
import { anInstance } from '../instance.fixture';
import { EtcdConnectionStatus } from './etcd-connection.status';
import { EtcdRegistration, type LeaseClient } from './etcd.registration';

/** etcd reduced to what leases do: keys attached to leases that live until revoked or expired. */
class FakeLeaseClient implements LeaseClient {
  readonly calls: string[] = [];
  readonly keys = new Map<string, { value: string; lease?: string }>();
  readonly leases = new Set<string>();
  unreachable = false;
  private revision = 0;
  private nextLease = 1;

  async grant(ttlSeconds: number): Promise<string> {
    this.check(`grant ${ttlSeconds}`);
    const lease = `L${this.nextLease++}`;
    this.leases.add(lease);
    return lease;
  }

  async keepAlive(lease: string): Promise<number> {
    this.check(`keepAlive ${lease}`);
    return this.leases.has(lease) ? 6 : 0;
  }

  async revoke(lease: string): Promise<void> {
    this.check(`revoke ${lease}`);
    this.expire(lease);
  }

  async put(key: string, value: string, lease?: string): Promise<number> {
    this.check(`put ${key} ${lease}`);
    if (lease && !this.leases.has(lease)) throw new NotFoundError('requested lease not found');
    this.keys.set(key, { value, lease });
    return ++this.revision;
  }

  async delete(key: string): Promise<{ revision: number; deleted: boolean }> {
    this.check(`delete ${key}`);
    const deleted = this.keys.delete(key);
    return { revision: deleted ? ++this.revision : this.revision, deleted };
  }

  /** What etcd does when a lease runs out: forget it and its keys. */
  expire(lease: string): void {
    this.leases.delete(lease);
    for (const [key, entry] of this.keys) if (entry.lease === lease) this.keys.delete(key);
  }

  private check(call: string): void {
    this.calls.push(call);
    if (this.unreachable) throw new UnavailableError('etcd is unreachable');
  }
}

describe(EtcdRegistration.name, () => {
  const key = '/p/catalog/c1';
  let etcd: FakeLeaseClient;
  let status: EtcdConnectionStatus;
  let sut: EtcdRegistration;

  beforeEach(() => {
    vi.useFakeTimers();
    etcd = new FakeLeaseClient();
    status = new EtcdConnectionStatus();
    sut = new EtcdRegistration(etcd, '/p/', anInstance({ id: 'c1' }), 6, status);
  });

  afterEach(async () => {
    await sut.stop(false);
    vi.useRealTimers();
  });

  it('grants a lease, writes the key on it and renews every third of the TTL', async () => {
    await expect(sut.publish()).resolves.toBe(1);
    expect(etcd.calls).toEqual(['grant 6', `put ${key} L1`]);
    await vi.advanceTimersByTimeAsync(1_999);
    expect(etcd.calls).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(etcd.calls.at(-1)).toBe('keepAlive L1');
    await vi.advanceTimersByTimeAsync(2_000);
    expect(etcd.calls.filter((call) => call.startsWith('keepAlive'))).toHaveLength(2);
  });

  it('rewrites the value on the same lease', async () => {
    await sut.publish();
    await sut.publish({ ...sut.instance, status: 'draining' });
    expect(etcd.calls).toEqual(['grant 6', `put ${key} L1`, `put ${key} L1`]);
    expect(JSON.parse(etcd.keys.get(key)!.value)).toMatchObject({ status: 'draining' });
  });

  it('moves to a new lease when the TTL changes, revoking the old one', async () => {
    await sut.publish();
    await sut.publish(sut.instance, 9);
    expect(etcd.calls.slice(2)).toEqual(['grant 9', `put ${key} L2`, 'revoke L1']);
    expect(etcd.keys.get(key)?.lease).toBe('L2');
  });

  it('moves the key when the service changes', async () => {
    await sut.publish();
    await sut.publish(anInstance({ id: 'c1', service: 'orders' }));
    expect([...etcd.keys.keys()]).toEqual(['/p/orders/c1']);
  });

  it('reports a failing renewal as degraded and republishes under a new lease once etcd is back', async () => {
    await sut.publish();
    etcd.unreachable = true;
    await vi.advanceTimersByTimeAsync(2_000);
    expect(status.get()).toMatchObject({ state: 'degraded', lastError: 'etcd is unreachable' });

    etcd.expire('L1');
    etcd.unreachable = false;
    await vi.advanceTimersByTimeAsync(2_000);
    expect(etcd.calls.slice(-3)).toEqual(['keepAlive L1', 'grant 6', `put ${key} L2`]);
    expect(etcd.keys.get(key)?.lease).toBe('L2');
    expect(status.get().state).toBe('connected');
  });

  it('grants a new lease when a write finds the old one expired', async () => {
    await sut.publish();
    etcd.expire('L1');
    await sut.publish({ ...sut.instance, status: 'draining' });
    expect(etcd.calls.slice(2)).toEqual([`put ${key} L1`, 'grant 6', `put ${key} L2`]);
  });

  it('deletes the key and revokes the lease on stop, and renews no more', async () => {
    await sut.publish();
    await expect(sut.stop(true)).resolves.toBe(2);
    expect(etcd.calls.slice(2)).toEqual([`delete ${key}`, 'revoke L1']);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(etcd.calls).toHaveLength(4);
  });

  it('leaves key and lease to expire when stopped without revoking, as a crash would', async () => {
    await sut.publish();
    await expect(sut.stop(false)).resolves.toBe(0);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(etcd.calls).toEqual(['grant 6', `put ${key} L1`]);
    expect(etcd.keys.has(key)).toBe(true);
  });
});
