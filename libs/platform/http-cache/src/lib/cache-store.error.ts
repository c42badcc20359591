/** Why a {@link CacheStoreUnavailableError} was raised. */
export type CacheStoreFailure = 'disconnected' | 'timeout' | 'failed';

/**
 * A cache store could not serve a call: its backend is disconnected, did not answer in time, or failed.
 * `HttpCache` turns it into a pass-through (`bypass`) and reports it through `onError`; `purge` rejects with it.
 */
export class CacheStoreUnavailableError extends Error {
  override readonly name = 'CacheStoreUnavailableError';

  constructor(
    message: string,
    readonly failure: CacheStoreFailure,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
