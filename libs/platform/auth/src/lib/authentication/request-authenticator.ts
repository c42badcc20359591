import { UnauthenticatedError } from '@nestkit/errors';
import { type AccessRule, authorize } from '../authorization/access-rule';
import { bearerToken, type BearerHeader } from '../authorization/bearer-token';
import type { Principal } from '../principal';
import type { TokenVerifier } from '../token-verifier';

/** Header that carries the calling service's own token, next to the end user's `Authorization`. */
export const SERVICE_AUTHORIZATION_HEADER = 'x-service-authorization';

const SERVICE_HEADER: BearerHeader = { name: SERVICE_AUTHORIZATION_HEADER, missingCode: 'missing-service-token', malformedCode: 'invalid-service-authorization-header' };

/** Who the verifiers are and how strict the service is about its callers. */
export interface RequestAuthenticatorOptions {
  /** Verifies end-user access tokens (`Authorization: Bearer`). */
  userVerifier: TokenVerifier;
  /** Verifies service tokens (`x-service-authorization: Bearer`); without it the header is ignored. */
  serviceVerifier?: TokenVerifier;
  /** Demand a valid service token on every route that is not `anonymous`. Default false. */
  requireServiceToken?: boolean;
}

/** What a request proved: the principal the handler acts for, and the service that made the call. */
export interface Authentication {
  /** The end user (or, on a service-only route without a user token, the calling service). */
  principal?: Principal;
  /** The calling service, when it presented a service token. */
  caller?: Principal;
}

type Headers = Record<string, string | string[] | undefined>;

/**
 * Authenticates a request's two credentials against an {@link AccessRule} and authorizes the result.
 * Framework-free: the Nest guard and the Passport strategy are thin adapters over it.
 */
export class RequestAuthenticator {
  constructor(private readonly options: RequestAuthenticatorOptions) {
    if (options.requireServiceToken && !options.serviceVerifier) {
      throw new TypeError('auth: requireServiceToken needs a service-token verifier; set AUTH_SERVICE_AUDIENCE to this service name');
    }
  }

  /** Throws 401 for missing or bad credentials and 403 for a missing role or permission. */
  async authenticate(headers: Headers, rule: AccessRule): Promise<Authentication> {
    if (rule.anonymous) return {};
    const caller = await this.callerOf(headers, Boolean(this.options.requireServiceToken || rule.serviceOnly));
    if (rule.public) return caller ? { caller } : {};
    if (rule.serviceOnly && caller) {
      authorize(caller, rule);
      const user = headers['authorization'] === undefined ? undefined : await this.userOf(headers);
      return { principal: user ?? caller, caller };
    }
    const principal = await this.userOf(headers);
    authorize(principal, rule);
    return caller ? { principal, caller } : { principal };
  }

  private userOf(headers: Headers): Promise<Principal> {
    return this.options.userVerifier.verify(bearerToken(headers['authorization']));
  }

  private async callerOf(headers: Headers, required: boolean): Promise<Principal | undefined> {
    const header = headers[SERVICE_AUTHORIZATION_HEADER];
    const verifier = this.options.serviceVerifier;
    if (header === undefined && !required) return undefined;
    if (!verifier) {
      if (!required) return undefined;
      throw new UnauthenticatedError('this route only accepts service calls, but this service verifies no service tokens (AUTH_SERVICE_AUDIENCE is not set)', 'missing-service-token');
    }
    try {
      return await verifier.verify(bearerToken(header, SERVICE_HEADER));
    } catch (error) {
      if (error instanceof UnauthenticatedError && error.code === 'invalid-token') {
        throw new UnauthenticatedError(`service token: ${error.message}`, error.code);
      }
      throw error;
    }
  }
}
