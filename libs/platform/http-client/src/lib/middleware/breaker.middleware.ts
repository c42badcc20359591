import { type CircuitBreaker, type CircuitBreakerRegistry, isFault } from '@nestkit/resilience';
import { UNAVAILABLE_STATUSES } from '../upstream-call';
import type { Middleware } from './endpoint';

/**
 * The upstream's breaker, judging logical calls (all their retries together): a 502/503/504 answer and a
 * fault (unreachable, timed out) count against it, any other answer for it; a caller's cancellation and
 * an instance breaker's refusal (no instance was called) say nothing and count as neither failure.
 */
export function upstreamBreaker(breaker: CircuitBreaker): Middleware {
  return (next) => async (attempt) => {
    const permit = breaker.acquire();
    try {
      const answer = await next(attempt);
      breaker.release(permit, UNAVAILABLE_STATUSES.has(answer.status));
      return answer;
    } catch (error) {
      breaker.release(permit, !attempt.exchange.callerAborted && isFault(error));
      throw error;
    }
  };
}

/**
 * The picked instance's own breaker, per attempt: any 5xx answer and any fault count against it (4xx
 * never), an attempt cancelled by its caller or by a hedge that answered first does not. An open breaker
 * refuses with `InstanceCircuitOpenError` without calling the instance.
 */
export function instanceBreaker(breakers: CircuitBreakerRegistry): Middleware {
  return (next) => async (attempt) => {
    const breaker = breakers.get(attempt.instance?.id ?? '');
    const permit = breaker.acquire();
    try {
      const answer = await next(attempt);
      breaker.release(permit, answer.status >= 500);
      return answer;
    } catch (error) {
      breaker.release(permit, !attempt.cancelled && isFault(error));
      throw error;
    }
  };
}
