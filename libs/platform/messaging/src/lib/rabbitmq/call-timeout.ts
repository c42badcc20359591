import { TimeoutError } from '@nestkit/errors';

/**
 * Races `promise` against a timer of `ms`: rejects with a {@link TimeoutError} naming `what` if the timer wins.
 * `onLate` receives the value should the promise resolve after all (e.g. to close a connection nobody awaits).
 */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string, onLate?: (value: T) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      reject(new TimeoutError(`${what} did not complete within ${ms} ms`, 'messaging.broker-timeout'));
    }, ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        if (timedOut) onLate?.(value);
        else resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        if (!timedOut) reject(error);
      },
    );
  });
}

/** Resolves after `ms`; the timer does not keep the process alive on its own. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

/** The message of an error, or the value as text. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
