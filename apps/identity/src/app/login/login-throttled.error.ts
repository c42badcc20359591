import { RateLimitedError } from '@nestkit/errors';

/**
 * Too many login attempts for an account or from an address: 429 problem+json with `Retry-After` and
 * `retryAfterSec`, mapped by the global problem-details filter. The same for registered and unknown e-mails.
 */
export class LoginThrottledError extends RateLimitedError {
  constructor(retryAfterSec: number, scope: 'account' | 'address') {
    super(`too many login attempts ${scope === 'account' ? 'for this account' : 'from this address'}; retry in ${retryAfterSec} s`, retryAfterSec, 'identity.login-throttled');
  }
}
