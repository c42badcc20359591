import { UnavailableError } from '@nestkit/errors';
import { EtcdConnectionStatus } from './etcd-connection.status';
import type { EtcdEvent, EtcdKeyValue, EtcdWatchMessage } from './etcd-http.client';
import { EtcdWatcher, type WatchClient, type WatchSink } from './etcd.watcher';

interface OpenStream {
  readonly from: number;
  send(message: Partial<EtcdWatchMessage>): void;
  fail(error: Error): void;
}

/** etcd as the watcher sees it: a listing to hand out and watch streams the test drives by hand. */
class FakeWatchClient implements WatchClient {
  listing: { revision: number; kvs: EtcdKeyValue[] } = { revision: 0, kvs: [] };
  readonly streams: OpenStream[] = [];
  reachable = true;

  async range(): Promise<{ revision: number; kvs: EtcdKeyValue[] }> {
    if (!this.reachable) throw new UnavailableError('refused');
    return this.listing;
  }

  async ping(): Promise<void> {
    if (!this.reachable) throw new UnavailableError('refused');
  }

  watch(_prefix: string, from: number, onMessage: (message: EtcdWatchMessage) => void, signal: AbortSignal): Promise<void> {
    if (!this.reachable) return Promise.reject(new UnavailableError('refused'));
    return new Promise((_, reject) => {
      signal.addEventListener('abort', () => reject(signal.reason as Error));
      this.streams.push({
        from,
        send: (message) => onMessage({ revision: 0, created: false, events: [], ...message }),
        fail: reject,
      });
    });
  }

  get last(): OpenStream {
    return this.streams.at(-1)!;
  }
}

class RecordingSink implements WatchSink {
  readonly seen: string[] = [];
  reset(kvs: readonly EtcdKeyValue[]): void {
    this.seen.push(`reset ${kvs.map((kv) => kv.key).join(',')}`);
  }
  apply(event: EtcdEvent): void {
    this.seen.push(event.type === 'put' ? `put ${event.kv.key}` : `delete ${event.key}`);
  }
}

const kv = (key: string, modRevision: number): EtcdKeyValue => ({ key, value: '{}', modRevision });

describe(EtcdWatcher.name, () => {
  let etcd: FakeWatchClient;
  let sink: RecordingSink;
  let status: EtcdConnectionStatus;
  let sut: EtcdWatcher;

  beforeEach(async () => {
    vi.useFakeTimers();
    etcd = new FakeWatchClient();
    etcd.listing = { revision: 10, kvs: [kv('/p/a', 7)] };
    sink = new RecordingSink();
    status = new EtcdConnectionStatus();
    sut = new EtcdWatcher(etcd, { prefix: '/p/', probeIntervalMs: 1_000, backoff: { initialMs: 100, maxMs: 100 } }, sink, status);
    await sut.start();
  });

  afterEach(async () => {
    await sut.close();
    vi.useRealTimers();
  });

  it('loads the listing, then watches from the revision after it', () => {
    expect(sink.seen).toEqual(['reset /p/a']);
    expect(etcd.streams.map((stream) => stream.from)).toEqual([11]);
  });

  it('lets a write wait until its revision has been applied', async () => {
    const seen = sut.waitFor(12, 5_000);
    etcd.last.send({ revision: 12, events: [{ type: 'put', kv: kv('/p/b', 12) }] });
    await expect(seen).resolves.toBe(true);
    expect(sink.seen.at(-1)).toBe('put /p/b');
  });

  it('gives up waiting after the timeout without failing', async () => {
    const seen = sut.waitFor(12, 5_000);
    await vi.advanceTimersByTimeAsync(5_000);
    await expect(seen).resolves.toBe(false);
  });

  it('reopens a broken stream after backoff from the last applied revision, degraded meanwhile', async () => {
    etcd.last.send({ created: true });
    etcd.last.send({ revision: 15, events: [{ type: 'delete', key: '/p/a' }] });
    etcd.last.fail(new UnavailableError('connection reset'));
    await vi.advanceTimersByTimeAsync(0);
    expect(status.get()).toMatchObject({ state: 'degraded', lastError: 'connection reset' });
    await vi.advanceTimersByTimeAsync(100);
    expect(etcd.streams.map((stream) => stream.from)).toEqual([11, 16]);
    etcd.last.send({ created: true });
    expect(status.get().state).toBe('connected');
  });

  it('replaces a compacted watch by a fresh listing, without reporting an outage', async () => {
    etcd.listing = { revision: 40, kvs: [kv('/p/c', 33)] };
    etcd.last.send({ compactRevision: 30 });
    await vi.advanceTimersByTimeAsync(0);
    expect(sink.seen).toEqual(['reset /p/a', 'reset /p/c']);
    expect(etcd.streams.map((stream) => stream.from)).toEqual([11, 41]);
    expect(status.get().state).toBe('connected');
  });

  it('drops a stream that went silent when etcd stops answering pings', async () => {
    etcd.reachable = false;
    await vi.advanceTimersByTimeAsync(1_000);
    expect(status.get()).toMatchObject({ state: 'degraded', lastError: 'refused' });
    etcd.reachable = true;
    await vi.advanceTimersByTimeAsync(100);
    expect(etcd.streams.map((stream) => stream.from)).toEqual([11, 11]);
  });
});
