import { UnauthenticatedError } from '@nestkit/errors';

// RFC 6750 b64token, after a case-insensitive "Bearer" scheme and at least one space.
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*)$/i;

/** Which header a bearer token is read from, and the error codes that name its problems. */
export interface BearerHeader {
  name: string;
  missingCode: string;
  malformedCode: string;
}

/** The end user's token: `Authorization: Bearer <access token>`. */
export const AUTHORIZATION_HEADER: BearerHeader = { name: 'Authorization', missingCode: 'missing-token', malformedCode: 'invalid-authorization-header' };

/**
 * Extracts the token from a `Bearer <token>` header value (by default `Authorization`); a missing header
 * or any other scheme or shape is a 401 naming what was wrong.
 */
export function bearerToken(header: string | string[] | undefined, from: BearerHeader = AUTHORIZATION_HEADER): string {
  if (header === undefined || header === '') {
    throw new UnauthenticatedError(`missing ${from.name} header`, from.missingCode);
  }
  const match = typeof header === 'string' ? BEARER.exec(header.trim()) : null;
  if (!match?.[1]) {
    throw new UnauthenticatedError(`${from.name} header must be "Bearer <token>"`, from.malformedCode);
  }
  return match[1];
}
