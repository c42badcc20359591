export { ACCESS_TOKEN_TYPE, ADMIN_ROLE, INVALID_TOKEN, SERVICE_TOKEN_TYPE } from './lib/access-token.claims';
export {
  type AuthConfig,
  authConfigSchema,
  type CallerPolicyConfig,
  callerPolicyConfigSchema,
  callerPolicyOptions,
  type ServiceClientConfig,
  serviceAuthConfigSchema,
  serviceClientConfigSchema,
  serviceTokenProviderOptions,
  strictCallerPolicyConfigSchema,
  tokenClaimsConfigSchema,
  verifierOptions,
} from './lib/auth.config';
export { type Authentication, RequestAuthenticator, type RequestAuthenticatorOptions, SERVICE_AUTHORIZATION_HEADER } from './lib/authentication/request-authenticator';
export { type AccessRule, authorize } from './lib/authorization/access-rule';
export { bearerToken } from './lib/authorization/bearer-token';
export { assertAllPermissions } from './lib/authorization/permissions';
export { assertAnyRole, assertOwner } from './lib/authorization/roles';
export { DEFAULT_MESSAGE_AUDIENCE, type IdentifiedMessage, type MessageIdentity, type ServiceTokenSource } from './lib/messages/message-identity';
export { MessageIdentityStamper } from './lib/messages/message-identity.stamper';
export { MessageIdentityVerifier, type MessageIdentityVerifierOptions } from './lib/messages/message-identity.verifier';
export {
  Anonymous,
  type AuthenticatedRequest,
  CallerService,
  CurrentPrincipal,
  Permissions,
  principalOf,
  Public,
  Roles,
  ServiceOnly,
  UserToken,
  userTokenOf,
} from './lib/nest/auth.decorators';
export { AuthGuard } from './lib/nest/auth.guard';
export { type AuthModuleAsyncOptions, type AuthModuleOptions, AuthModule, type CallerPolicyOptions } from './lib/nest/auth.module';
export { MESSAGE_IDENTITY_VERIFIER, REQUEST_AUTHENTICATOR, TOKEN_VERIFIER } from './lib/nest/auth.tokens';
export { type JwtBearerVerify, JwtBearerStrategy } from './lib/nest/passport/jwt-bearer.strategy';
export { NESTKIT_JWT, NestkitJwtGuard, NestkitJwtStrategy } from './lib/nest/passport/nestkit-jwt.strategy';
export type { Principal, PrincipalActor, PrincipalKind } from './lib/principal';
export { ServiceTokenProvider, type ServiceTokenProviderOptions } from './lib/service-tokens/service-token.provider';
export { SERVICE_TOKEN_REFUSED, SERVICE_TOKEN_UNAVAILABLE } from './lib/service-tokens/token-endpoint.client';
export { generateSigningKey, type PublicSigningJwk, type SigningAlgorithm, type SigningKey } from './lib/signing/signing-key';
export {
  type AccessTokenSubject,
  type ServiceTokenSubject,
  type SignedAccessToken,
  TokenSigner,
  type TokenSignerOptions,
} from './lib/signing/token.signer';
export type { TokenVerifier, VerifyOptions } from './lib/token-verifier';
export type { JwksUrlVerifierOptions, JwtVerifierOptions, VerificationAlgorithm } from './lib/verification/jwt-verifier.options';
export { JwtTokenVerifier, type VerifierOverrides } from './lib/verification/jwt.token-verifier';
export { AUTH_UNAVAILABLE, type KeySetProvider } from './lib/verification/key-source';
