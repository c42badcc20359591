import type { CacheStore } from './cache-store';

/** The request as the gateway saw it, for {@link HttpCache.serve}. */
export interface CacheableRequest {
  /** HTTP method; only GET and HEAD are cached, anything else passes through as `bypass`. */
  method: string;
  /** Path and query exactly as received (not normalised: `?a=1&b=2` and `?b=2&a=1` are two entries). */
  url: string;
  /** Request headers with lower-case names, as Node gives them. */
  headers: Record<string, string | string[] | undefined>;
  /** Set when the request is authenticated: the entry is then private to this user, never shared. */
  user?: string;
}

/** A full upstream response, or one served from the cache. */
export interface StoredResponse {
  status: number;
  headers: Record<string, string | string[]>;
  /** The body; served hits share one Buffer, so callers must not write into it. */
  body: Buffer;
}

/**
 * How a response was produced: `hit` fresh from the cache, `miss` from the origin (stored when storable),
 * `stale` from the cache past its freshness (stale-while-revalidate or stale-if-error), `bypass` from the origin
 * without the cache (method not cacheable, or the store failed).
 */
export type CacheStatus = 'hit' | 'miss' | 'stale' | 'bypass';

/** What {@link HttpCache.serve} answers. */
export interface CacheResult {
  response: StoredResponse;
  cache: CacheStatus;
}

/** Options of {@link HttpCache}. */
export interface HttpCacheOptions {
  /** Where entries live: `MemoryCacheStore` for one gateway, `RedisCacheStore` for several sharing one cache. */
  store: CacheStore;
  /** Responses taking more bytes than this (body and headers) are served but not stored. Default 1 MiB. */
  maxEntryBytes?: number;
  /** Clock in epoch milliseconds, for freshness. Default `Date.now`. */
  now?: () => number;
  /**
   * Told about store failures (the request was then served as `bypass` or left unstored) and failed background
   * revalidations. Default: `process.emitWarning`. Called once per failing call, so throttle it in the logger.
   */
  onError?: (error: Error) => void;
}
