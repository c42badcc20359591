import { LRUCache } from 'lru-cache';
import { type CacheRecord, type CacheStore, recordBytes } from './cache-store';

/** Options of {@link MemoryCacheStore}. */
export interface MemoryCacheStoreOptions {
  /** Upper bound of the bytes all records take together (bodies, headers, keys); least recently used go first. */
  maxBytes: number;
  /** Clock for record expiry, in milliseconds. Default `performance.now`. */
  now?: () => number;
}

/**
 * A {@link CacheStore} in this process's memory: an LRU bounded in bytes (lru-cache's `maxSize`) plus a tag index
 * kept in step with it, so eviction and expiry also leave the index.
 */
export class MemoryCacheStore implements CacheStore {
  private readonly lru: LRUCache<string, CacheRecord>;
  private readonly byTag = new Map<string, Set<string>>();

  constructor(options: MemoryCacheStoreOptions) {
    if (!(options.maxBytes > 0)) throw new RangeError(`MemoryCacheStore: maxBytes must be a positive number of bytes, got ${options.maxBytes}`);
    this.lru = new LRUCache<string, CacheRecord>({
      maxSize: options.maxBytes,
      sizeCalculation: (record, key) => recordBytes(record) + key.length,
      dispose: (record, key) => this.unindex(key, record),
      // lru-cache caches the time for ttlResolution ms by a timer; a hand-moved clock must be read every time.
      ...(options.now ? { perf: { now: options.now }, ttlResolution: 0 } : {}),
    });
  }

  /** Bytes the stored records take now; never more than `maxBytes`. */
  get bytes(): number {
    return this.lru.calculatedSize;
  }

  /** How many records are stored now (expired ones included until touched or evicted). */
  get size(): number {
    return this.lru.size;
  }

  async get(key: string): Promise<CacheRecord | undefined> {
    return this.lru.get(key);
  }

  async set(key: string, record: CacheRecord, ttlMs: number): Promise<void> {
    this.lru.set(key, record, { ttl: Math.max(1, Math.ceil(ttlMs)) });
    // lru-cache refuses a record larger than maxBytes; index only what it kept.
    if (record.kind !== 'response' || this.lru.peek(key) !== record) return;
    for (const tag of record.tags) {
      let keys = this.byTag.get(tag);
      if (!keys) this.byTag.set(tag, (keys = new Set()));
      keys.add(key);
    }
  }

  async delete(key: string): Promise<boolean> {
    return this.lru.delete(key);
  }

  async purge(tags: readonly string[]): Promise<number> {
    const keys = new Set<string>();
    for (const tag of tags) for (const key of this.byTag.get(tag) ?? []) keys.add(key);
    let removed = 0;
    for (const key of keys) if (this.lru.delete(key)) removed++;
    return removed;
  }

  private unindex(key: string, record: CacheRecord): void {
    if (record.kind !== 'response') return;
    for (const tag of record.tags) {
      const keys = this.byTag.get(tag);
      keys?.delete(key);
      if (keys?.size === 0) this.byTag.delete(tag);
    }
  }
}
