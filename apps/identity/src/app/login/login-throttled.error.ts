import { AppError } from '@nestkit/errors';

/**
 * Too many login attempts for an account or from an address. Mapped to 429 with `Retry-After` by
 * {@link LoginThrottledFilter}; the same for registered and unknown e-mails.
 */
export class LoginThrottledError extends AppError {
  constructor(
    /** Whole seconds until an attempt is accepted again. */
    readonly retryAfterSec: number,
    scope: 'account' | 'address',
  ) {
    super(`too many login attempts ${scope === 'account' ? 'for this account' : 'from this address'}; retry in ${retryAfterSec} s`, {
      code: 'identity.login-throttled',
      kind: 'unavailable',
      retryable: true,
    });
  }
}
