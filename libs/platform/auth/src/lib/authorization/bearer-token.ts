import { UnauthenticatedError } from '@nestkit/errors';

// RFC 6750 b64token, after a case-insensitive "Bearer" scheme and at least one space.
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*)$/i;

/**
 * Extracts the token from an `Authorization: Bearer <token>` header value; a missing header or any
 * other scheme or shape is a 401 naming what was wrong.
 */
export function bearerToken(header: string | string[] | undefined): string {
  if (header === undefined || header === '') {
    throw new UnauthenticatedError('missing Authorization header', 'missing-token');
  }
  const match = typeof header === 'string' ? BEARER.exec(header.trim()) : null;
  if (!match?.[1]) {
    throw new UnauthenticatedError('Authorization header must be "Bearer <token>"', 'invalid-authorization-header');
  }
  return match[1];
}
