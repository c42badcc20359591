import { TimeoutError } from '@nestkit/errors';
import { type ICancellationContext, TaskCancelledError, TimeoutPolicy, TimeoutStrategy } from 'cockatiel';
import { ignoreEvents, type ResilienceListener } from './resilience-event';

/**
 * A cockatiel {@link TimeoutPolicy} in aggressive mode that fails a call still running when its budget
 * runs out with our `TimeoutError` (code `upstream-timeout`) naming the upstream and the budget, and
 * aborts the signal handed to the call so the work (a socket, a query) is released.
 */
export class UpstreamTimeoutPolicy extends TimeoutPolicy {
  constructor(
    readonly upstream: string,
    readonly budgetMs: number,
    private readonly listener: ResilienceListener = ignoreEvents,
    unref = false,
  ) {
    // Aggressive: a hung upstream must not hold the caller beyond its budget, even if it ignores the signal.
    super(budgetMs, { strategy: TimeoutStrategy.Aggressive }, undefined, unref);
  }

  override dangerouslyUnref(): UpstreamTimeoutPolicy {
    return new UpstreamTimeoutPolicy(this.upstream, this.budgetMs, this.listener, true);
  }

  override async execute<T>(fn: (context: ICancellationContext, signal: AbortSignal) => PromiseLike<T> | T, signal?: AbortSignal): Promise<T> {
    try {
      return await super.execute(fn, signal);
    } catch (error) {
      // cockatiel raises the same TaskCancelledError when the caller cancels; that is not a timeout.
      if (error instanceof TaskCancelledError && !signal?.aborted) {
        this.listener.onEvent({ upstream: this.upstream, kind: 'timeout', budgetMs: this.budgetMs });
        throw new TimeoutError(`Upstream "${this.upstream}" did not answer within ${this.budgetMs} ms`, 'upstream-timeout', error);
      }
      throw error;
    }
  }
}

/**
 * Returns a policy that fails calls to `upstream` taking longer than `budgetMs` with a `TimeoutError`,
 * telling `listener` about each timeout.
 */
export function timeout(upstream: string, budgetMs: number, listener?: ResilienceListener): UpstreamTimeoutPolicy {
  return new UpstreamTimeoutPolicy(upstream, budgetMs, listener);
}
