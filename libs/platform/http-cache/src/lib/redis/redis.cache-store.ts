import type { Redis } from 'ioredis';
import type { CacheRecord, CacheStore } from '../cache-store';
import { CacheStoreUnavailableError } from '../cache-store.error';
import { decodeRecord, encodeRecord } from './record.codec';
import { DELETE_SCRIPT, PURGE_SCRIPT, SET_SCRIPT } from './redis.scripts';

/** Options of {@link RedisCacheStore}. */
export interface RedisCacheStoreOptions {
  /** A connected ioredis client; the store never closes it. Prefer `enableOfflineQueue: false` on it. */
  redis: Redis;
  /** Prefix of every key this store writes, e.g. `gateway:http-cache:`. One prefix per API origin. */
  keyPrefix: string;
  /** Longest wait for any one Redis call, in ms, before it counts as failed. Default 250. */
  timeoutMs?: number;
}

/** Client states in which a call could only wait for a reconnect, so it fails at once. */
const DOWN = new Set(['reconnecting', 'close', 'end']);

/**
 * A {@link CacheStore} in Redis, shared by every gateway using the same `keyPrefix`: each record is one string key
 * expiring with the entry (freshness plus stale window), each tag a set of entry keys expiring with its
 * longest-lived entry (layout in redis.scripts.ts). Every call is bounded by `timeoutMs` and fails fast while the client is disconnected.
 * The set and purge scripts touch several keys, so on Redis Cluster put a hash tag in `keyPrefix` (`{http-cache}:`).
 */
export class RedisCacheStore implements CacheStore {
  private readonly redis: Redis;
  private readonly prefix: string;
  private readonly timeoutMs: number;

  constructor(options: RedisCacheStoreOptions) {
    this.redis = options.redis;
    this.prefix = options.keyPrefix;
    this.timeoutMs = options.timeoutMs ?? 250;
  }

  async get(key: string): Promise<CacheRecord | undefined> {
    const entry = this.entryKey(key);
    const data = await this.call(`GET ${entry}`, () => this.redis.getBuffer(entry));
    return data === null ? undefined : decodeRecord(data, entry);
  }

  async set(key: string, record: CacheRecord, ttlMs: number): Promise<void> {
    const entry = this.entryKey(key);
    const tags = record.kind === 'response' ? record.tags.map((tag) => this.tagKey(tag)) : [];
    const ttl = String(Math.max(1, Math.ceil(ttlMs)));
    await this.call(`SET ${entry}`, () => this.redis.eval(SET_SCRIPT, 2 + tags.length, entry, this.filedKey(key), ...tags, ttl, encodeRecord(record)));
  }

  async delete(key: string): Promise<boolean> {
    const entry = this.entryKey(key);
    return Number(await this.call(`DEL ${entry}`, () => this.redis.eval(DELETE_SCRIPT, 2, entry, this.filedKey(key)))) > 0;
  }

  async purge(tags: readonly string[]): Promise<number> {
    if (tags.length === 0) return 0;
    const keys = tags.map((tag) => this.tagKey(tag));
    return Number(await this.call(`purge of tags ${tags.join(' ')}`, () => this.redis.eval(PURGE_SCRIPT, keys.length, ...keys, this.entryKey(''), this.filedKey(''))));
  }

  private entryKey(key: string): string {
    return `${this.prefix}e:${key}`;
  }

  /** The set of tag keys the entry under `key` is filed under. */
  private filedKey(key: string): string {
    return `${this.prefix}g:${key}`;
  }

  private tagKey(tag: string): string {
    return `${this.prefix}t:${tag}`;
  }

  private call<T>(what: string, command: () => Promise<T>): Promise<T> {
    const status = this.redis.status;
    if (DOWN.has(status)) {
      return Promise.reject(new CacheStoreUnavailableError(`http-cache: Redis is ${status}, ${what} skipped; check that Redis is reachable`, 'disconnected'));
    }
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new CacheStoreUnavailableError(`http-cache: Redis did not answer ${what} within ${this.timeoutMs} ms; check Redis load and reachability, or raise timeoutMs`, 'timeout'));
      }, this.timeoutMs);
      command().then(
        (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        (error: unknown) => {
          clearTimeout(timer);
          reject(new CacheStoreUnavailableError(`http-cache: Redis ${what} failed: ${error instanceof Error ? error.message : String(error)}`, 'failed', { cause: error }));
        },
      );
    });
  }
}
