import { isBusinessError, isRetryable } from '@nestkit/errors';
import { TaskCancelledError } from 'cockatiel';
import { InstanceCircuitOpenError } from './instance-circuit-open.error';

/**
 * True for an error that says the upstream is unwell. Business outcomes, caller cancellations and an
 * instance breaker's refusal (no call was made) are not.
 */
export function isFault(error: unknown): boolean {
  return !isBusinessError(error) && !(error instanceof TaskCancelledError) && !(error instanceof InstanceCircuitOpenError);
}

/** True for the reason of a call cancelled on purpose (caller gave up, a hedged attempt lost), not failed. */
export function isCancellation(reason: unknown): boolean {
  return reason instanceof TaskCancelledError;
}

/** True for a fault that repeating the call may cure. */
export function isRetryableFault(error: unknown): boolean {
  return isFault(error) && isRetryable(error);
}

/**
 * Settles with `work`, or rejects with `TaskCancelledError` as soon as `signal` aborts, so a caller who
 * gave up is not held by a backoff timer or a probe it no longer waits for.
 */
export function untilAborted<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new TaskCancelledError('The caller cancelled the call'));
    if (signal.aborted) onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
