import { AsyncLocalStorage } from 'node:async_hooks';
import type { Deadline } from './deadline';

const storage = new AsyncLocalStorage<Deadline>();

/**
 * Holds the deadline of the request being handled for the async work it starts, so an outgoing call
 * made while serving it inherits what is left of its budget without threading it through every
 * signature (as Go passes a `context.Context`). The HTTP client reads it when a call names no deadline.
 */
export class DeadlineStore {
  /** Runs `fn` with `deadline` as the current deadline. */
  static run<T>(deadline: Deadline, fn: () => T): T {
    return storage.run(deadline, fn);
  }

  /** The current deadline, if the caller runs inside one. */
  static current(): Deadline | undefined {
    return storage.getStore();
  }
}
