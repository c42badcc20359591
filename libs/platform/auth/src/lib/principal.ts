/** Whether a principal is an end user or another service acting on its own behalf. */
export type PrincipalKind = 'user' | 'service';

/** The service that acts for a user (RFC 8693 `act`), e.g. the publisher of a message caused by the user. */
export interface PrincipalActor {
  readonly subject: string;
  readonly kind: 'service';
}

/** The authenticated caller, as established from a verified access token. */
export interface Principal {
  /** User id (or service client id for `kind: 'service'`), from the `sub` claim. */
  readonly subject: string;
  /** Roles granted by the identity service; empty when the token carries none. */
  readonly roles: readonly string[];
  /** Permissions identity derived from the roles when it signed the token (`permissions` claim). */
  readonly permissions?: readonly string[];
  readonly email?: string;
  /** The token's `jti`, for audit logs and revocation. */
  readonly tokenId: string;
  readonly kind: PrincipalKind;
  /** Set when a service acts on the user's behalf (a token-exchange token, a message identity). */
  readonly actor?: PrincipalActor;
}
