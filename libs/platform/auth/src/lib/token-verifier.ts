import type { Principal } from './principal';

/** Per-call verification options. */
export interface VerifyOptions {
  /**
   * Check the time claims as of this instant instead of now: a message's identity is judged as of when
   * the message was produced, so a retry an hour later still verifies. Callers bound how far back it goes.
   */
  at?: Date;
}

/**
 * Turns a presented access token into a {@link Principal}. Implementations throw
 * `UnauthenticatedError` (code `invalid-token`) for any problem with the token itself and
 * `UnavailableError` (code `auth-unavailable`) when they cannot decide, e.g. the key endpoint is down.
 */
export interface TokenVerifier {
  verify(token: string, options?: VerifyOptions): Promise<Principal>;
}
