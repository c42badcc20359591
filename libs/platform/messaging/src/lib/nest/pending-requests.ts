import { TimeoutError } from '@nestkit/errors';

/** How a request ended: the reply's data, or why there is none. */
export type RequestOutcome = { ok: true; data: unknown } | { ok: false; error: Error };

interface Pending {
  pattern: string;
  timer: NodeJS.Timeout;
  settle: (outcome: RequestOutcome) => void;
}

/**
 * The requests a client is waiting on, by request envelope id. Every one ends exactly once: with its
 * reply, with a TimeoutError naming the pattern and the timeout, or when it is cancelled or failed.
 */
export class PendingRequests {
  private readonly byId = new Map<string, Pending>();

  add(id: string, pattern: string, timeoutMs: number, settle: (outcome: RequestOutcome) => void): void {
    const timer = setTimeout(() => this.settle(id, { ok: false, error: timeoutError(pattern, timeoutMs) }), timeoutMs);
    this.byId.set(id, { pattern, timer, settle });
  }

  /** The pattern of a request still waiting, or undefined (unknown id, or it already ended). */
  patternOf(id: string): string | undefined {
    return this.byId.get(id)?.pattern;
  }

  /** Ends the request with `outcome`; false when it had already ended (a late or duplicate reply). */
  settle(id: string, outcome: RequestOutcome): boolean {
    const pending = this.byId.get(id);
    if (!pending) return false;
    this.forget(id, pending);
    pending.settle(outcome);
    return true;
  }

  /** Stops waiting without telling the caller (it unsubscribed). */
  cancel(id: string): void {
    const pending = this.byId.get(id);
    if (pending) this.forget(id, pending);
  }

  /** Fails every waiting request with the error `errorFor(pattern)` returns. */
  failAll(errorFor: (pattern: string) => Error): void {
    for (const [id, pending] of [...this.byId]) this.settle(id, { ok: false, error: errorFor(pending.pattern) });
  }

  get size(): number {
    return this.byId.size;
  }

  private forget(id: string, pending: Pending): void {
    clearTimeout(pending.timer);
    this.byId.delete(id);
  }
}

function timeoutError(pattern: string, timeoutMs: number): TimeoutError {
  return new TimeoutError(
    `No reply to "${pattern}" within ${timeoutMs} ms. Check that a service handles "${pattern}" with @OnRequest or ` +
      '@MessagePattern on a MessagingTransport and is running, or raise requestTimeoutMs.',
    'messaging.request-timeout',
  );
}
