/** Whether a principal is an end user or another service acting on its own behalf. */
export type PrincipalKind = 'user' | 'service';

/** The authenticated caller, as established from a verified access token. */
export interface Principal {
  /** User id (or service id for `kind: 'service'`), from the `sub` claim. */
  readonly subject: string;
  /** Roles granted by the identity service; empty when the token carries none. */
  readonly roles: readonly string[];
  readonly email?: string;
  /** The token's `jti`, for audit logs and (later) revocation. */
  readonly tokenId: string;
  readonly kind: PrincipalKind;
}
