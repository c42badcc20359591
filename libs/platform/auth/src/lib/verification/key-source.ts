import { UnavailableError } from '@nestkit/errors';
import { createLocalJWKSet, createRemoteJWKSet, customFetch, errors, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';
import { DEFAULT_JWKS_TIMEOUT_MS, type JwksUrlVerifierOptions } from './jwt-verifier.options';

/** Error code raised when the key source cannot be reached; maps to 503, never 401/403. */
export const AUTH_UNAVAILABLE = 'auth-unavailable';

/** Supplies the current key set on every lookup, e.g. the identity service's own keys as they rotate. */
export type KeySetProvider = () => JSONWebKeySet | Promise<JSONWebKeySet>;

/** Key lookups that fail because of the token (unknown or ambiguous `kid`), not because of the endpoint. */
function isTokenSideFailure(error: unknown): boolean {
  return error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys;
}

function outage(error: unknown): UnavailableError {
  const why = error instanceof errors.JWKSTimeout ? 'timed out' : 'failed';
  return new UnavailableError(`fetching the signing keys ${why}`, AUTH_UNAVAILABLE, error);
}

/**
 * Resolves keys from the configured JWKS URL. jose caches the set, refetches on an unknown `kid` at most
 * once per cooldown, and aborts each fetch at `timeoutMs`; any fetch failure surfaces as `auth-unavailable`.
 */
export function remoteKeySource(options: JwksUrlVerifierOptions): JWTVerifyGetKey {
  const remote = createRemoteJWKSet(new URL(options.jwksUrl), {
    timeoutDuration: options.timeoutMs ?? DEFAULT_JWKS_TIMEOUT_MS,
    ...(options.cacheMaxAgeMs === undefined ? {} : { cacheMaxAge: options.cacheMaxAgeMs }),
    ...(options.cooldownMs === undefined ? {} : { cooldownDuration: options.cooldownMs }),
    ...(options.fetch === undefined ? {} : { [customFetch]: options.fetch }),
  });
  return async (header, token) => {
    try {
      return await remote(header, token);
    } catch (error) {
      if (isTokenSideFailure(error)) throw error;
      throw outage(error);
    }
  };
}

/** Resolves keys from a fixed, in-memory key set (tests, or keys shipped with the deployment). */
export function localKeySource(jwks: JSONWebKeySet): JWTVerifyGetKey {
  return createLocalJWKSet(jwks);
}

/** Resolves keys from whatever set `provider` returns now; the lookup is rebuilt only when the set changes. */
export function providedKeySource(provider: KeySetProvider): JWTVerifyGetKey {
  let last: { jwks: JSONWebKeySet; lookup: JWTVerifyGetKey } | undefined;
  return async (header, token) => {
    const jwks = await provider();
    if (last?.jwks !== jwks) last = { jwks, lookup: createLocalJWKSet(jwks) };
    return last.lookup(header, token);
  };
}
