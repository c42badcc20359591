import type { IDefaultPolicyContext, IPolicy } from 'cockatiel';
import { isFault } from './faults';
import { ignoreEvents, type ResilienceListener } from './resilience-event';

/** Who is told when a fallback answers instead of the upstream. */
export interface FallbackOptions {
  readonly upstream?: string;
  readonly listener?: ResilienceListener;
}

/**
 * Wraps `policy` so that a call failing with a fault (not a business error, not a caller cancellation)
 * answers with `fallback(error)` instead, e.g. the last cached value of a read. Hand-written rather than
 * cockatiel's `fallback()` because that one does not hand the error to the fallback.
 */
export function withFallback<C extends IDefaultPolicyContext, A, R>(
  policy: IPolicy<C, A>,
  fallback: (error: unknown) => R | PromiseLike<R>,
  options: FallbackOptions = {},
): IPolicy<C, A | R> {
  const listener = options.listener ?? ignoreEvents;
  return {
    _altReturn: undefined as unknown as A | R,
    onSuccess: policy.onSuccess,
    onFailure: policy.onFailure,
    async execute<T>(fn: (context: C) => PromiseLike<T> | T, signal?: AbortSignal): Promise<T | A | R> {
      try {
        return await policy.execute(fn, signal);
      } catch (error) {
        if (!isFault(error) || signal?.aborted) throw error;
        listener.onEvent({ upstream: options.upstream ?? 'unknown', kind: 'fallback' });
        return fallback(error);
      }
    },
  };
}
