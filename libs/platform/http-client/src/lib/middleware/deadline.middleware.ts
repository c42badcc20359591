import { TimeoutError } from '@nestkit/errors';
import type { Middleware } from './endpoint';

/**
 * Bounds the whole call, retries and queueing included, by its deadline until the answer's headers
 * arrive (one unref'd timer), and turns the outcome into what the caller expects: the caller's own
 * reason when it cancelled, `TimeoutError` (`upstream-timeout`) when the deadline fired. A deadline
 * already spent fails the call without sending it.
 */
export function deadline(service: string): Middleware {
  return (next) => async (attempt) => {
    const exchange = attempt.exchange;
    if (exchange.budgetMs === 0) throw new TimeoutError(`Deadline for a call to "${service}" expired before it was sent`, 'upstream-timeout');
    exchange.start();
    try {
      const answer = await next(attempt);
      exchange.answered(answer.body);
      return answer;
    } catch (error) {
      exchange.stop();
      if (exchange.callerAborted) throw exchange.call.signal?.reason;
      if (exchange.expired && !(error instanceof TimeoutError)) throw exchange.timeoutError(error);
      throw error;
    }
  };
}
