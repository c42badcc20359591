import type CachePolicy from 'http-cache-semantics';

/** Marks a primary key whose responses vary on request headers: they live under variant keys built from `names`. */
export interface VaryRecord {
  readonly kind: 'vary';
  /** Lower-case request header names from the response's `Vary`, sorted. */
  readonly names: readonly string[];
}

/** One stored response: its serialized http-cache-semantics policy (status, headers, freshness), body and purge tags. */
export interface ResponseRecord {
  readonly kind: 'response';
  readonly policy: CachePolicy.CachePolicyObject;
  readonly body: Buffer;
  /** Tags from the response's `cache-tag` header; {@link CacheStore.purge} removes the record by any of them. */
  readonly tags: readonly string[];
}

/** What a {@link CacheStore} holds under one key. */
export type CacheRecord = VaryRecord | ResponseRecord;

/**
 * Key-value storage of cache records with a tag index, the one port {@link HttpCache} needs. Records are
 * opaque to the store except for their tags. Implementations: `MemoryCacheStore` (one process, byte-bounded LRU)
 * and `RedisCacheStore` (shared by several gateways).
 */
export interface CacheStore {
  /** The record under `key`, or undefined when absent or expired. */
  get(key: string): Promise<CacheRecord | undefined>;
  /** Stores `record` under `key` for `ttlMs` milliseconds, replacing what was there, and indexes its tags. */
  set(key: string, record: CacheRecord, ttlMs: number): Promise<void>;
  /** Removes the record under `key`; true when there was one. */
  delete(key: string): Promise<boolean>;
  /** Removes every response record tagged with any of `tags`; resolves to how many were removed. */
  purge(tags: readonly string[]): Promise<number>;
}

/** Bytes a record takes: the body plus its header names and values and a fixed overhead for the rest. */
export function recordBytes(record: CacheRecord): number {
  const overhead = 256;
  if (record.kind === 'vary') return overhead + record.names.reduce((sum, name) => sum + name.length, 0);
  let headers = 0;
  for (const [name, value] of Object.entries(record.policy.resh)) {
    headers += name.length + (Array.isArray(value) ? value.join(', ').length : (value ?? '').length) + 4;
  }
  return overhead + headers + record.body.length + record.tags.reduce((sum, tag) => sum + tag.length + 1, 0);
}
