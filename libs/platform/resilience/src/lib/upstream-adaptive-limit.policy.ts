import { UnavailableError } from '@nestkit/errors';
import { type IDefaultPolicyContext, type IPolicy, noop } from 'cockatiel';
import { AdaptiveLimiter, type AdaptiveLimiterOptions } from './adaptive.limiter';
import { isFault } from './faults';
import { ignoreEvents, type ResilienceListener } from './resilience-event';

/** Options of an {@link UpstreamAdaptiveLimitPolicy}: the limiter's tuning plus a listener. */
export type AdaptiveLimitPolicyOptions = AdaptiveLimiterOptions & { readonly listener?: ResilienceListener };

/**
 * A concurrency limit for one upstream that adapts to it (an {@link AdaptiveLimiter}, AIMD): a call over
 * the current limit fails at once with `UnavailableError` code `concurrency-limit` (503 at the edge);
 * faults and slow calls shrink the limit, good calls at high use grow it. Business errors and caller
 * cancellations count as good calls, as they do for the breaker.
 */
export class UpstreamAdaptiveLimitPolicy implements IPolicy {
  declare readonly _altReturn: never;
  readonly limiter: AdaptiveLimiter;
  private readonly listener: ResilienceListener;
  // cockatiel's wrap() reads these; the limiter reports through the listener instead.
  readonly onSuccess = noop.onSuccess;
  readonly onFailure = noop.onFailure;

  constructor(
    readonly upstream: string,
    options: AdaptiveLimitPolicyOptions = {},
  ) {
    this.limiter = new AdaptiveLimiter(options);
    this.listener = options.listener ?? ignoreEvents;
  }

  async execute<T>(fn: (context: IDefaultPolicyContext) => PromiseLike<T> | T, signal: AbortSignal = new AbortController().signal): Promise<T> {
    if (!this.limiter.acquire()) {
      this.listener.onEvent({ upstream: this.upstream, kind: 'limit-rejected', limit: this.limiter.limit });
      throw new UnavailableError(
        `Upstream "${this.upstream}" is at its adaptive concurrency limit (${this.limiter.limit} calls in flight)`,
        'concurrency-limit',
      );
    }
    const started = performance.now();
    let ok = true;
    try {
      return await fn({ signal });
    } catch (error) {
      ok = !isFault(error);
      throw error;
    } finally {
      this.limiter.release(performance.now() - started, ok);
    }
  }
}

/** Returns an adaptive concurrency limit for calls to `upstream`; share it between all calls to that upstream. */
export function adaptiveLimitPolicy(upstream: string, options: AdaptiveLimitPolicyOptions = {}): UpstreamAdaptiveLimitPolicy {
  return new UpstreamAdaptiveLimitPolicy(upstream, options);
}
