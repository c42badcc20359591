import { UnavailableError } from '@nestkit/errors';
import type { HttpResponse } from './http-response';

/** Statuses that say "this instance could not serve it now", worth one more try elsewhere. */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([502, 503, 504]);

/**
 * An upstream answered 502, 503 or 504. Raised inside the resilience policy so the attempt counts as a
 * fault (retried on another instance when the call is idempotent, counted by the breaker); when no
 * attempt is left, the client returns the response itself, for the caller to relay as it is.
 */
export class UpstreamStatusError extends UnavailableError {
  constructor(readonly response: HttpResponse) {
    super(`Upstream instance "${response.instanceId}" answered ${response.status}`, 'upstream-status');
  }
}
