import { UnavailableError } from '@nestkit/errors';
import { type AdaptiveLimiter, isFault, type PermitBulkhead, type ResilienceListener } from '@nestkit/resilience';
import { UNAVAILABLE_STATUSES } from '../upstream-call';
import type { Middleware } from './endpoint';

/**
 * Holds one of the upstream's bulkhead slots from admission until the answer's body is done (a
 * streamed body is still work in flight); a full bulkhead refuses with `bulkhead-full`, a queued call
 * leaves the queue when its deadline fires or its caller cancels.
 */
export function bulkhead(slots: PermitBulkhead): Middleware {
  const release = () => slots.release();
  return (next) => async (attempt) => {
    const waiting = slots.acquire(attempt.exchange.signal);
    if (waiting) await waiting;
    try {
      const answer = await next(attempt);
      answer.body.once('close', release);
      return answer;
    } catch (error) {
      release();
      throw error;
    }
  };
}

/**
 * An adaptive concurrency limit (AIMD) on the upstream: a call over the limit fails at once with
 * `concurrency-limit`; a 502/503/504 answer or a fault shrinks the limit, as does a slow answer.
 */
export function adaptiveLimit(limiter: AdaptiveLimiter, upstream: string, listener: ResilienceListener): Middleware {
  return (next) => async (attempt) => {
    if (!limiter.acquire()) {
      listener.onEvent({ upstream, kind: 'limit-rejected', limit: limiter.limit });
      throw new UnavailableError(`Upstream "${upstream}" is at its adaptive concurrency limit (${limiter.limit} calls in flight)`, 'concurrency-limit');
    }
    const started = performance.now();
    let ok = false;
    try {
      const answer = await next(attempt);
      ok = !UNAVAILABLE_STATUSES.has(answer.status);
      return answer;
    } catch (error) {
      ok = attempt.exchange.callerAborted || !isFault(error);
      throw error;
    } finally {
      limiter.release(performance.now() - started, ok);
    }
  };
}
