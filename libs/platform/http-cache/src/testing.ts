export { type CacheStoreFactory, describeCacheStore } from './lib/cache-store.conformance';
export { FailingCacheStore } from './lib/failing.cache-store';
export { ManualClock } from './lib/manual.clock';
