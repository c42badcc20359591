export { type CacheStoreFailure, CacheStoreUnavailableError } from './lib/cache-store.error';
export { type CacheRecord, type CacheStore, type ResponseRecord, type VaryRecord } from './lib/cache-store';
export { HttpCache } from './lib/http-cache';
export { type CacheableRequest, type CacheResult, type CacheStatus, type HttpCacheOptions, type StoredResponse } from './lib/http-cache.types';
export { MemoryCacheStore, type MemoryCacheStoreOptions } from './lib/memory.cache-store';
export { RedisCacheStore, type RedisCacheStoreOptions } from './lib/redis/redis.cache-store';
