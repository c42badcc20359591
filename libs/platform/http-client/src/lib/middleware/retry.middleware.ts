import { type BackoffOptions, backoffDelay, isRetryableFault, type ResilienceListener, type RetryBudget } from '@nestkit/resilience';
import { UNAVAILABLE_STATUSES, type UpstreamAnswer } from '../upstream-call';
import { discard, type Middleware } from './endpoint';
import { Attempt, type Exchange } from './exchange';

/** How {@link retry} repeats a call. */
export interface RetryOptions extends BackoffOptions {
  readonly upstream: string;
  /** Calls in total, the first one included. */
  readonly maxAttempts: number;
  readonly budget: RetryBudget;
  readonly listener: ResilienceListener;
}

/**
 * Repeats a call that got a 502/503/504 answer or a retryable fault, after an exponential backoff and
 * while the upstream's retry budget allows; the pick downstream prefers an instance this call has not
 * tried. Only calls safe to repeat: idempotent (or with an `Idempotency-Key`), with a replayable body,
 * and not opted out with `retry: false`. A discarded answer's body is drained; when no attempt is left
 * the last answer is returned as it is, or the last error thrown.
 */
export function retry(options: RetryOptions): Middleware {
  const { upstream, maxAttempts, budget, listener } = options;
  if (!Number.isSafeInteger(maxAttempts) || maxAttempts < 1) throw new RangeError(`maxAttempts must be a positive integer, got ${maxAttempts}`);
  return (next) => async (first) => {
    const exchange = first.exchange;
    if (maxAttempts === 1 || exchange.call.retry === false || !exchange.idempotent || !exchange.replayable) return next(first);
    budget.recordRequest();
    let attempt = first;
    for (let index = 0; ; index++) {
      let answer: UpstreamAnswer | undefined;
      try {
        answer = await next(attempt);
        if (!UNAVAILABLE_STATUSES.has(answer.status) || !mayRetry(options, exchange, index)) return answer;
      } catch (error) {
        if (!isRetryableFault(error) || !mayRetry(options, exchange, index)) throw error;
      }
      if (answer) discard(answer);
      const delayMs = backoffDelay(index, options);
      listener.onEvent({ upstream, kind: 'retry', attempt: index + 1, delayMs });
      await sleep(delayMs, exchange);
      attempt = new Attempt(exchange);
    }
  };
}

/** True when retry number `index + 1` may go: time and attempts are left and the budget pays for it. */
function mayRetry(options: RetryOptions, exchange: Exchange, index: number): boolean {
  if (exchange.signal.aborted || index + 1 >= options.maxAttempts) return false;
  if (options.budget.tryWithdraw()) return true;
  options.listener.onEvent({ upstream: options.upstream, kind: 'retry-budget-exhausted' });
  return false;
}

/** Waits `ms`, or rejects with the exchange's abort reason as soon as its deadline or caller gives up. */
function sleep(ms: number, exchange: Exchange): Promise<void> {
  const signal = exchange.signal;
  return new Promise<void>((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
