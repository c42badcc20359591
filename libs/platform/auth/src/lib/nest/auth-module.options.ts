import { SERVICE_TOKEN_TYPE } from '../access-token.claims';
import { RequestAuthenticator } from '../authentication/request-authenticator';
import { DEFAULT_MESSAGE_AUDIENCE } from '../messages/message-identity';
import { MessageIdentityVerifier } from '../messages/message-identity.verifier';
import type { TokenVerifier } from '../token-verifier';
import type { JwksUrlVerifierOptions } from '../verification/jwt-verifier.options';
import { JwtTokenVerifier } from '../verification/jwt.token-verifier';

/** Who may call this service, beyond holding an end-user token. Everything is off by default. */
export interface CallerPolicyOptions {
  /** This service's name as the audience of service tokens; enables `x-service-authorization`. */
  serviceAudience?: string;
  /** Refuse every call without a valid service token, except `@Anonymous()` routes. */
  requireServiceToken?: boolean;
  /** Verify the signed identity of messages reaching Nest message handlers. */
  verifyMessages?: boolean;
  /** Audience of message identities; default `nestkit-messaging`. */
  messageAudience?: string;
  /** Ready verifiers (tests, custom schemes); they replace the ones derived from the user-token verifier. */
  serviceVerifier?: TokenVerifier;
  messageVerifier?: MessageIdentityVerifier;
}

/** Either a ready verifier (tests, custom schemes) or the JWKS settings to build the default one, plus the caller policy. */
export type AuthModuleOptions = ({ verifier: TokenVerifier } | JwksUrlVerifierOptions) & CallerPolicyOptions;

/** What {@link AuthModule} provides, built once from the options. */
export interface AuthParts {
  verifier: TokenVerifier;
  authenticator: RequestAuthenticator;
  messageVerifier?: MessageIdentityVerifier;
}

function derived(verifier: TokenVerifier, audience: string, what: string): TokenVerifier {
  if (!(verifier instanceof JwtTokenVerifier)) {
    throw new TypeError(`auth: cannot derive the ${what} verifier from a custom verifier; pass ${what}Verifier too`);
  }
  return verifier.derive({ tokenType: SERVICE_TOKEN_TYPE, audience });
}

/** Builds the verifiers and the authenticator; throws at boot for a policy that cannot be enforced. */
export function authParts(options: AuthModuleOptions): AuthParts {
  const verifier = 'verifier' in options ? options.verifier : JwtTokenVerifier.fromJwksUrl(options);
  const serviceVerifier = options.serviceVerifier ?? (options.serviceAudience ? derived(verifier, options.serviceAudience, 'service') : undefined);
  const authenticator = new RequestAuthenticator({ userVerifier: verifier, serviceVerifier, requireServiceToken: options.requireServiceToken ?? false });
  const messageVerifier =
    options.messageVerifier ??
    (options.verifyMessages ? new MessageIdentityVerifier({ verifier: derived(verifier, options.messageAudience ?? DEFAULT_MESSAGE_AUDIENCE, 'message') }) : undefined);
  return { verifier, authenticator, ...(messageVerifier ? { messageVerifier } : {}) };
}
