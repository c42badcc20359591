import { UnavailableError } from '@nestkit/errors';
import { type ReconnectBackoffOptions, reconnectDelay } from '@nestkit/resilience';
import type { EtcdConnectionStatus } from './etcd-connection.status';
import type { EtcdEvent, EtcdHttpClient, EtcdKeyValue, EtcdWatchMessage } from './etcd-http.client';

/** Receives what the watcher learns: a full listing (at start and after a compaction), then changes. */
export interface WatchSink {
  reset(kvs: readonly EtcdKeyValue[]): void;
  apply(event: EtcdEvent): void;
}

/** The calls a watcher makes, so that a fake can stand in for etcd in unit tests. */
export type WatchClient = Pick<EtcdHttpClient, 'range' | 'watch' | 'ping'>;

export interface EtcdWatcherOptions {
  readonly prefix: string;
  /** How often the member is pinged, so that a silently dead stream is noticed and replaced. */
  readonly probeIntervalMs: number;
  readonly backoff: ReconnectBackoffOptions;
}

const PART = 'watch';

/**
 * Keeps a {@link WatchSink} current with everything under a prefix: one range read, then a watch stream
 * from the revision after it. A broken stream is reopened from the last applied revision with capped
 * backoff, so no change is missed; a compacted one is replaced by a fresh range read.
 */
export class EtcdWatcher {
  private revision = 0;
  private closed = false;
  private compacted = false;
  private probing = false;
  private stream?: AbortController;
  private probe?: NodeJS.Timeout;
  private wake?: () => void;
  private running?: Promise<void>;
  private readonly waiters = new Set<{ revision: number; resolve: (seen: boolean) => void }>();

  constructor(
    private readonly client: WatchClient,
    private readonly options: EtcdWatcherOptions,
    private readonly sink: WatchSink,
    private readonly status: EtcdConnectionStatus,
  ) {}

  /** Loads the current entries, then follows changes in the background; rejects when etcd cannot be read. */
  async start(): Promise<void> {
    await this.resync();
    this.running = this.run();
    this.probe = setInterval(() => void this.checkAlive(), this.options.probeIntervalMs);
    this.probe.unref();
  }

  /**
   * Resolves once every change up to `revision` has reached the sink (true), or after `timeoutMs` (false):
   * how a write waits until it can be read back.
   */
  waitFor(revision: number, timeoutMs: number): Promise<boolean> {
    if (revision <= this.revision || this.closed) return Promise.resolve(revision <= this.revision);
    return new Promise((resolve) => {
      const timer = setTimeout(() => waiter.resolve(false), timeoutMs);
      const waiter = {
        revision,
        resolve: (seen: boolean) => {
          clearTimeout(timer);
          this.waiters.delete(waiter);
          resolve(seen);
        },
      };
      this.waiters.add(waiter);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.probe);
    this.stream?.abort();
    this.wake?.();
    for (const waiter of [...this.waiters]) waiter.resolve(false);
    await this.running;
  }

  private async resync(): Promise<void> {
    const { revision, kvs } = await this.client.range(this.options.prefix);
    this.sink.reset(kvs);
    this.revision = Math.max(this.revision, revision);
    this.release();
  }

  private async run(): Promise<void> {
    let attempt = 0;
    while (!this.closed) {
      try {
        if (this.compacted) await this.resync();
        this.compacted = false;
        this.stream = new AbortController();
        await this.client.watch(this.options.prefix, this.revision + 1, (message) => {
          if (this.onMessage(message)) attempt = 0;
        }, this.stream.signal);
        throw new UnavailableError('etcd closed the watch stream', 'discovery.etcd-unavailable');
      } catch (error) {
        if (this.closed) return;
        if (this.compacted) continue;
        this.status.fail(PART, error);
        await this.sleep(reconnectDelay(attempt++, this.options.backoff));
      }
    }
  }

  /** Applies one message; true when it shows the stream is (re)established. */
  private onMessage(message: EtcdWatchMessage): boolean {
    if (message.compactRevision !== undefined) {
      // The changes since our revision are gone; only a fresh listing can bring the cache up to date.
      this.compacted = true;
      this.stream?.abort();
      return false;
    }
    if (message.created) {
      this.status.ok(PART);
      return true;
    }
    for (const event of message.events) this.sink.apply(event);
    const last = message.events.at(-1);
    this.revision = Math.max(this.revision, message.revision, last?.type === 'put' ? last.kv.modRevision : 0);
    this.release();
    return false;
  }

  private release(): void {
    for (const waiter of [...this.waiters]) if (waiter.revision <= this.revision) waiter.resolve(true);
  }

  /** An idle watch stream says nothing, so a partition would go unnoticed without asking. */
  private async checkAlive(): Promise<void> {
    if (this.probing || this.closed) return;
    this.probing = true;
    try {
      await this.client.ping();
    } catch (error) {
      this.status.fail(PART, error);
      this.stream?.abort(error);
    } finally {
      this.probing = false;
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      timer.unref();
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}
