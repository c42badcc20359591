import CachePolicy from 'http-cache-semantics';

/** The `CachePolicy` class, or a subclass of it. */
export type PolicyClass = typeof CachePolicy;

/** Builds a `CachePolicy` subclass reading time from `now`, so fake clocks drive freshness in tests. */
export function clockedPolicy(now: () => number): PolicyClass {
  if (now === Date.now) return CachePolicy;
  // http-cache-semantics reads the time only through `now()` and documents overriding it; @types omit it.
  return class ClockedCachePolicy extends CachePolicy {
    now(): number {
      return now();
    }
  };
}
