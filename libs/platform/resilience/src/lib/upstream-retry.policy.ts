import { handleWhen, type IPolicy, type IRetryContext, retry, type RetryPolicy, TaskCancelledError } from 'cockatiel';
import { type BackoffOptions, exponentialBackoff } from './exponential.backoff';
import { isRetryableFault, untilAborted } from './faults';
import { ignoreEvents, type ResilienceListener } from './resilience-event';
import { RetryBudget } from './retry.budget';

/** How calls to one upstream are retried. */
export interface RetryPolicyOptions extends BackoffOptions {
  /** Calls in total, the first one included (Resilience4j's and Go kit's meaning); 1 disables retries. */
  readonly maxAttempts: number;
  /** The budget shared by every retry to this upstream; by default one of 20% plus 1 retry/s over 10 s. */
  readonly budget?: RetryBudget;
  readonly listener?: ResilienceListener;
}

// Carries a failure the policy decided not to retry through cockatiel's error filter untouched.
class GiveUp {
  constructor(readonly error: unknown) {}
}

/**
 * A cockatiel {@link RetryPolicy} with exponential backoff that retries only retryable faults (never
 * business errors, never after the caller aborted) and only while the upstream's {@link RetryBudget}
 * allows; once the budget is spent, the original error is thrown at once. The call receives the attempt
 * number (0 for the first call) in its context, so it can pick a different instance each time.
 */
export class UpstreamRetryPolicy implements IPolicy<IRetryContext> {
  declare readonly _altReturn: never;
  readonly budget: RetryBudget;
  private readonly inner: RetryPolicy;
  private readonly listener: ResilienceListener;

  constructor(
    readonly upstream: string,
    private readonly options: RetryPolicyOptions,
  ) {
    if (!Number.isSafeInteger(options.maxAttempts) || options.maxAttempts < 1) {
      throw new RangeError(`maxAttempts must be a positive integer, got ${options.maxAttempts}`);
    }
    this.budget = options.budget ?? new RetryBudget();
    this.listener = options.listener ?? ignoreEvents;
    this.inner = retry(
      handleWhen((error) => !(error instanceof GiveUp)),
      { maxAttempts: options.maxAttempts - 1, backoff: exponentialBackoff(options) },
    );
    this.inner.onRetry(({ attempt, delay }) => this.listener.onEvent({ upstream, kind: 'retry', attempt, delayMs: delay }));
  }

  get onSuccess() {
    return this.inner.onSuccess;
  }

  get onFailure() {
    return this.inner.onFailure;
  }

  async execute<T>(fn: (context: IRetryContext) => PromiseLike<T> | T, signal?: AbortSignal): Promise<T> {
    this.budget.recordRequest();
    try {
      return await untilAborted(
        this.inner.execute((context) => this.attempt(fn, context), signal),
        signal,
      );
    } catch (error) {
      throw error instanceof GiveUp ? error.error : error;
    }
  }

  private async attempt<T>(fn: (context: IRetryContext) => PromiseLike<T> | T, context: IRetryContext): Promise<T> {
    // cockatiel still runs the attempt due after a backoff the caller abandoned; it must not reach the upstream.
    if (context.signal.aborted) throw new GiveUp(new TaskCancelledError('The caller cancelled the call'));
    try {
      return await fn(context);
    } catch (error) {
      if (!this.mayRetry(error, context)) throw new GiveUp(error);
      throw error;
    }
  }

  private mayRetry(error: unknown, { attempt, signal }: IRetryContext): boolean {
    if (signal.aborted || attempt + 1 >= this.options.maxAttempts || !isRetryableFault(error)) return false;
    if (this.budget.tryWithdraw()) return true;
    this.listener.onEvent({ upstream: this.upstream, kind: 'retry-budget-exhausted' });
    return false;
  }
}

/** Returns a retry policy for calls to `upstream`; build one per upstream so the budget is shared. */
export function retryPolicy(upstream: string, options: RetryPolicyOptions): UpstreamRetryPolicy {
  return new UpstreamRetryPolicy(upstream, options);
}
