import { UnauthenticatedError } from '@nestkit/errors';
import type { JWTPayload } from 'jose';
import type { Principal, PrincipalKind } from './principal';

/** `typ` header of access tokens (RFC 9068); refresh and identity tokens use other types and never pass. */
export const ACCESS_TOKEN_TYPE = 'at+jwt';

/** Claims every access token must carry. `jti` is required so every principal has a token id. */
export const REQUIRED_CLAIMS = ['iss', 'aud', 'exp', 'sub', 'jti'];

/** Error code of every rejection caused by the token itself. */
export const INVALID_TOKEN = 'invalid-token';

/** Role that passes every ownership check. */
export const ADMIN_ROLE = 'admin';

/** The payload an access token carries beyond the registered claims. */
export interface AccessTokenClaims {
  roles: string[];
  email?: string;
  kind?: PrincipalKind;
}

function invalid(reason: string): UnauthenticatedError {
  return new UnauthenticatedError(reason, INVALID_TOKEN);
}

function nonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

function rolesFrom(value: unknown): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((role) => typeof role === 'string')) {
    throw invalid('roles claim must be an array of strings');
  }
  return [...value];
}

function kindFrom(value: unknown): PrincipalKind {
  if (value === undefined) return 'user';
  if (value === 'user' || value === 'service') return value;
  throw invalid('kind claim must be "user" or "service"');
}

/** Builds the principal from an already signature- and time-checked payload, validating claim shapes. */
export function principalFromClaims(payload: JWTPayload): Principal {
  if (!nonEmptyString(payload.sub)) throw invalid('sub claim must be a non-empty string');
  if (!nonEmptyString(payload.jti)) throw invalid('jti claim must be a non-empty string');
  if (payload['email'] !== undefined && typeof payload['email'] !== 'string') {
    throw invalid('email claim must be a string');
  }
  const email = payload['email'] as string | undefined;
  return {
    subject: payload.sub,
    roles: rolesFrom(payload['roles']),
    ...(email === undefined ? {} : { email }),
    tokenId: payload.jti,
    kind: kindFrom(payload['kind']),
  };
}
