import { AppError, UnauthenticatedError } from '@nestkit/errors';
import { errors } from 'jose';
import { INVALID_TOKEN } from '../access-token.claims';

const claimMessages: Record<string, string> = {
  iss: 'issuer mismatch',
  aud: 'audience mismatch',
  nbf: 'token not yet valid',
  iat: 'issued-at invalid',
};

function claimMessage(error: errors.JWTClaimValidationFailed, tokenType: string): string {
  if (error.claim === 'typ') return `token type must be ${tokenType}`;
  if (error.reason === 'missing') return `missing claim: ${error.claim}`;
  return claimMessages[error.claim] ?? `claim invalid: ${error.claim}`;
}

/** A human-readable reason for a jose failure; never includes the token or its contents. */
function reasonFor(error: unknown, tokenType: string): string {
  if (error instanceof errors.JWTExpired) return 'token expired';
  if (error instanceof errors.JWTClaimValidationFailed) return claimMessage(error, tokenType);
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'signature invalid';
  if (error instanceof errors.JOSEAlgNotAllowed) return 'algorithm not allowed';
  if (error instanceof errors.JWKSNoMatchingKey) return 'no matching signing key';
  if (error instanceof errors.JWKSMultipleMatchingKeys) return 'ambiguous signing key';
  if (error instanceof errors.JOSENotSupported) return 'unsupported token';
  return 'malformed token';
}

/**
 * Maps whatever verification threw to the platform error: AppErrors (outages raised by the key source,
 * claim-shape problems) pass through, everything else is a problem with the token and becomes a 401.
 */
export function tokenFailure(error: unknown, tokenType: string): AppError {
  if (error instanceof AppError) return error;
  return new UnauthenticatedError(reasonFor(error, tokenType), INVALID_TOKEN);
}
