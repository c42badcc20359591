import { UnavailableError } from '@nestkit/errors';
import { bulkhead, type BulkheadPolicy, BulkheadRejectedError, type IDefaultPolicyContext, type IPolicy } from 'cockatiel';
import { ignoreEvents, type ResilienceListener } from './resilience-event';

/** Capacity of one upstream's bulkhead. */
export interface BulkheadPolicyOptions {
  /** Calls allowed to run at once. */
  readonly maxConcurrent: number;
  /** Calls allowed to wait, first in first out, for a free slot; 0 rejects at once when all run. */
  readonly maxQueued?: number;
  readonly listener?: ResilienceListener;
}

/**
 * A cockatiel {@link BulkheadPolicy} for one upstream, so a slow upstream can hold at most
 * `maxConcurrent` of the caller's requests plus `maxQueued` waiting; any more are rejected at once with
 * `UnavailableError` code `bulkhead-full` (503 at the edge).
 */
export class UpstreamBulkheadPolicy implements IPolicy {
  declare readonly _altReturn: never;
  private readonly inner: BulkheadPolicy;
  private readonly listener: ResilienceListener;

  constructor(
    readonly upstream: string,
    options: BulkheadPolicyOptions,
  ) {
    this.inner = bulkhead(options.maxConcurrent, options.maxQueued ?? 0);
    this.listener = options.listener ?? ignoreEvents;
  }

  get onSuccess() {
    return this.inner.onSuccess;
  }

  get onFailure() {
    return this.inner.onFailure;
  }

  /** Free execution slots right now. */
  get executionSlots(): number {
    return this.inner.executionSlots;
  }

  /** Free queue slots right now. */
  get queueSlots(): number {
    return this.inner.queueSlots;
  }

  async execute<T>(fn: (context: IDefaultPolicyContext) => PromiseLike<T> | T, signal?: AbortSignal): Promise<T> {
    try {
      return await this.inner.execute(fn, signal);
    } catch (error) {
      if (!(error instanceof BulkheadRejectedError)) throw error;
      this.listener.onEvent({ upstream: this.upstream, kind: 'bulkhead-rejected' });
      throw new UnavailableError(`Upstream "${this.upstream}" has too many calls in flight`, 'bulkhead-full', error);
    }
  }
}

/** Returns a bulkhead for calls to `upstream`; share it between all calls to that upstream. */
export function bulkheadPolicy(upstream: string, options: BulkheadPolicyOptions): UpstreamBulkheadPolicy {
  return new UpstreamBulkheadPolicy(upstream, options);
}
