import type { CacheRecord, CacheStore } from './cache-store';

/**
 * A {@link CacheStore} whose every call rejects with `error`, for testing that callers degrade to a
 * pass-through. `calls` counts the calls made.
 */
export class FailingCacheStore implements CacheStore {
  calls = 0;

  constructor(private readonly error: Error = new Error('FailingCacheStore: the store is down (test double)')) {}

  get(): Promise<CacheRecord | undefined> {
    return this.fail();
  }

  set(): Promise<void> {
    return this.fail();
  }

  delete(): Promise<boolean> {
    return this.fail();
  }

  purge(): Promise<number> {
    return this.fail();
  }

  private fail<T>(): Promise<T> {
    this.calls++;
    return Promise.reject(this.error);
  }
}
