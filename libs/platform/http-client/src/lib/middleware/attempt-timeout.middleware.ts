import { TimeoutError } from '@nestkit/errors';
import type { ResilienceListener } from '@nestkit/resilience';
import type { Middleware } from './endpoint';
import type { Attempt } from './exchange';

/**
 * Bounds each attempt by `budgetMs` until its answer's headers, so a retry still has time left. When the
 * call's own deadline comes first it is the only timer: no second one is armed.
 */
export function attemptTimeout(budgetMs: number, upstream: string, listener: ResilienceListener): Middleware {
  return (next) => async (attempt) => {
    if (attempt.exchange.deadline.remaining() <= budgetMs) return next(attempt);
    attempt.fork();
    const timer = setTimeout(expire, budgetMs, attempt, budgetMs, upstream, listener);
    timer.unref();
    try {
      return await next(attempt);
    } finally {
      clearTimeout(timer);
    }
  };
}

function expire(attempt: Attempt, budgetMs: number, upstream: string, listener: ResilienceListener): void {
  listener.onEvent({ upstream, kind: 'timeout', budgetMs });
  attempt.abort(new TimeoutError(`Upstream "${upstream}" instance "${attempt.instance?.id}" did not answer within ${budgetMs} ms`, 'upstream-timeout'));
}
