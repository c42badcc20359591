import { UnauthenticatedError } from '@nestkit/errors';
import type { JWTPayload } from 'jose';
import type { Principal, PrincipalActor, PrincipalKind } from './principal';

/** `typ` header of user access tokens (RFC 9068); refresh and service tokens use other types and never pass. */
export const ACCESS_TOKEN_TYPE = 'at+jwt';

/**
 * `typ` header of tokens identity issues to service clients (client credentials and token exchange). A
 * distinct type keeps a service token from ever passing where a user access token is expected.
 */
export const SERVICE_TOKEN_TYPE = 'service+jwt';

/** Claims every access token must carry. `jti` is required so every principal has a token id. */
export const REQUIRED_CLAIMS = ['iss', 'aud', 'exp', 'sub', 'jti'];

/** Error code of every rejection caused by the token itself. */
export const INVALID_TOKEN = 'invalid-token';

/** Role that passes every ownership check. */
export const ADMIN_ROLE = 'admin';

/** The payload an access token carries beyond the registered claims. */
export interface AccessTokenClaims {
  roles: string[];
  permissions?: string[];
  email?: string;
  kind?: PrincipalKind;
  client_id?: string;
  act?: { sub: string };
}

function invalid(reason: string): UnauthenticatedError {
  return new UnauthenticatedError(reason, INVALID_TOKEN);
}

function nonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

function stringsFrom(value: unknown, claim: string): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
    throw invalid(`${claim} claim must be an array of strings`);
  }
  return [...value];
}

function kindFrom(value: unknown, tokenType: string): PrincipalKind {
  if (tokenType === SERVICE_TOKEN_TYPE) {
    if (value !== undefined && value !== 'service') throw invalid('kind claim of a service token must be "service"');
    return 'service';
  }
  if (value === undefined) return 'user';
  if (value === 'user' || value === 'service') return value;
  throw invalid('kind claim must be "user" or "service"');
}

function actorFrom(value: unknown): PrincipalActor | undefined {
  if (value === undefined) return undefined;
  const sub = (value as { sub?: unknown } | null)?.sub;
  if (typeof value !== 'object' || !nonEmptyString(sub)) throw invalid('act claim must be an object with a sub');
  return { subject: sub, kind: 'service' };
}

/**
 * Builds the principal from an already signature- and time-checked payload, validating claim shapes. A
 * service token with an `act` claim is an on-behalf-of token: its principal is the user, acted for by `act.sub`.
 */
export function principalFromClaims(payload: JWTPayload, tokenType: string = ACCESS_TOKEN_TYPE): Principal {
  if (!nonEmptyString(payload.sub)) throw invalid('sub claim must be a non-empty string');
  if (!nonEmptyString(payload.jti)) throw invalid('jti claim must be a non-empty string');
  if (payload['email'] !== undefined && typeof payload['email'] !== 'string') {
    throw invalid('email claim must be a string');
  }
  const email = payload['email'] as string | undefined;
  const permissions = stringsFrom(payload['permissions'], 'permissions');
  const actor = actorFrom(payload['act']);
  const kind = actor ? 'user' : kindFrom(payload['kind'], tokenType);
  return {
    subject: payload.sub,
    roles: stringsFrom(payload['roles'], 'roles') ?? [],
    ...(permissions === undefined ? {} : { permissions }),
    ...(email === undefined ? {} : { email }),
    tokenId: payload.jti,
    kind,
    ...(actor === undefined ? {} : { actor }),
  };
}
