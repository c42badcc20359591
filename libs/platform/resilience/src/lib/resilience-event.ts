/** A moment worth counting in a metrics system, raised by the resilience policies of one upstream. */
export type ResilienceEvent =
  | { readonly upstream: string; readonly kind: 'retry'; readonly attempt: number; readonly delayMs: number }
  | { readonly upstream: string; readonly kind: 'retry-budget-exhausted' }
  | { readonly upstream: string; readonly kind: 'breaker-open'; readonly halfOpenAt: number }
  | { readonly upstream: string; readonly kind: 'breaker-half-open' }
  | { readonly upstream: string; readonly kind: 'breaker-closed' }
  | { readonly upstream: string; readonly kind: 'bulkhead-rejected' }
  | { readonly upstream: string; readonly kind: 'limit-rejected'; readonly limit: number }
  | { readonly upstream: string; readonly kind: 'timeout'; readonly budgetMs: number }
  | { readonly upstream: string; readonly kind: 'hedge'; readonly hedge: number; readonly delayMs: number }
  | { readonly upstream: string; readonly kind: 'hedge-won' }
  | { readonly upstream: string; readonly kind: 'fallback' };

/** Receives {@link ResilienceEvent}s, e.g. to bump a counter; it must not throw. */
export interface ResilienceListener {
  onEvent(event: ResilienceEvent): void;
}

/** A listener that ignores every event. */
export const ignoreEvents: ResilienceListener = { onEvent: () => undefined };
