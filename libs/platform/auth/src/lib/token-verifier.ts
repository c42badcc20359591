import type { Principal } from './principal';

/**
 * Turns a presented access token into a {@link Principal}. Implementations throw
 * `UnauthenticatedError` (code `invalid-token`) for any problem with the token itself and
 * `UnavailableError` (code `auth-unavailable`) when they cannot decide, e.g. the key endpoint is down.
 */
export interface TokenVerifier {
  verify(token: string): Promise<Principal>;
}
