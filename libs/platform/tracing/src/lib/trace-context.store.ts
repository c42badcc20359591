import { AsyncLocalStorage } from 'node:async_hooks';
import type { TraceContext } from './trace-context';

const storage = new AsyncLocalStorage<TraceContext>();

/**
 * Holds the current request's trace context for the async work it starts, so outgoing calls and
 * published messages carry `traceparent` without threading it through every signature.
 */
export class TraceContextStore {
  /** Runs `fn` with `context` as the current trace context. */
  static run<T>(context: TraceContext, fn: () => T): T {
    return storage.run(context, fn);
  }

  /** The current trace context, if the caller runs inside one. */
  static current(): TraceContext | undefined {
    return storage.getStore();
  }
}
