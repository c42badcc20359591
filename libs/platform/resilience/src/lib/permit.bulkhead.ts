import { UnavailableError } from '@nestkit/errors';
import { ignoreEvents, type ResilienceListener } from './resilience-event';
import type { BulkheadPolicyOptions } from './upstream-bulkhead.policy';

interface Waiter {
  readonly resolve: () => void;
  readonly reject: (reason: unknown) => void;
  readonly signal: AbortSignal | undefined;
  readonly onAbort: () => void;
}

/**
 * A bulkhead as a permit: `acquire(signal)` takes one of `maxConcurrent` slots, `release()` returns it.
 * When every slot is taken the call waits, first in first out, in a queue of `maxQueued`; beyond that it
 * is refused at once with `UnavailableError` code `bulkhead-full` (503), and a waiting call whose signal
 * aborts leaves the queue with the signal's reason. Same semantics as {@link UpstreamBulkheadPolicy}
 * (cockatiel's bulkhead), without a closure or promise per admitted call: `acquire` returns `undefined`
 * when a slot was free, and a promise only when the call has to wait.
 */
export class PermitBulkhead {
  private running = 0;
  private readonly queue: Waiter[] = [];
  private readonly maxConcurrent: number;
  private readonly maxQueued: number;
  private readonly listener: ResilienceListener;

  constructor(
    readonly upstream: string,
    options: BulkheadPolicyOptions,
  ) {
    if (!Number.isSafeInteger(options.maxConcurrent) || options.maxConcurrent < 1) {
      throw new RangeError(`maxConcurrent must be a positive integer, got ${options.maxConcurrent}`);
    }
    this.maxConcurrent = options.maxConcurrent;
    this.maxQueued = options.maxQueued ?? 0;
    this.listener = options.listener ?? ignoreEvents;
  }

  /** Calls holding a slot now. */
  get inFlight(): number {
    return this.running;
  }

  /** Calls waiting for a slot now. */
  get queued(): number {
    return this.queue.length;
  }

  /** Free execution slots right now. */
  get executionSlots(): number {
    return this.maxConcurrent - this.running;
  }

  /** Free queue slots right now. */
  get queueSlots(): number {
    return this.maxQueued - this.queue.length;
  }

  /**
   * Takes a slot: returns `undefined` when one was free, a promise settling once one is handed over when
   * the call has to queue; throws `bulkhead-full` when the queue is full too. Every slot taken must be
   * given back with {@link release}.
   */
  acquire(signal?: AbortSignal): Promise<void> | undefined {
    if (signal?.aborted) throw signal.reason;
    if (this.running < this.maxConcurrent) {
      this.running++;
      return undefined;
    }
    if (this.queue.length >= this.maxQueued) {
      this.listener.onEvent({ upstream: this.upstream, kind: 'bulkhead-rejected' });
      throw new UnavailableError(`Upstream "${this.upstream}" has too many calls in flight`, 'bulkhead-full');
    }
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        signal,
        onAbort: () => {
          const index = this.queue.indexOf(waiter);
          if (index >= 0) this.queue.splice(index, 1);
          reject(signal?.reason);
        },
      };
      signal?.addEventListener('abort', waiter.onAbort, { once: true });
      this.queue.push(waiter);
    });
  }

  /** Gives a slot back, handing it straight to the first waiting call if there is one. */
  release(): void {
    const next = this.queue.shift();
    if (!next) {
      this.running = Math.max(0, this.running - 1);
      return;
    }
    next.signal?.removeEventListener('abort', next.onAbort);
    next.resolve();
  }
}
