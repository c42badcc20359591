import type { FetchImplementation } from 'jose';

/** Asymmetric JWS algorithms the verifier may accept. Symmetric (HS*) and `none` are not representable. */
export type VerificationAlgorithm = 'EdDSA' | 'Ed25519' | 'ES256' | 'ES384' | 'ES512' | 'PS256' | 'PS384' | 'PS512' | 'RS256' | 'RS384' | 'RS512';

/** What every access token must match, whatever the key source. */
export interface JwtVerifierOptions {
  /** Expected `iss`, exactly. */
  issuer: string;
  /** Expected `aud`; the token must name at least one of these. */
  audience: string | string[];
  /** Allowed `alg` values; default `['EdDSA', 'ES256']`. */
  algorithms?: VerificationAlgorithm[];
  /** Leeway for `exp`/`nbf`/`iat` against clock skew between hosts; default 5 seconds. */
  clockToleranceSec?: number;
  /** Source of "now" for time claims; tests pass a fixed clock instead of sleeping. */
  clock?: () => Date;
  /** Expected `typ` header; default `at+jwt` (user access tokens). Service tokens use `service+jwt`. */
  tokenType?: string;
}

/** Options for verifying against the identity service's published JWKS. */
export interface JwksUrlVerifierOptions extends JwtVerifierOptions {
  /** Where the JWKS is published. Only this URL is ever fetched; token headers cannot redirect it. */
  jwksUrl: string;
  /** Budget for one JWKS fetch; past it the request fails with `auth-unavailable`. Default 2000 ms. */
  timeoutMs?: number;
  /** How long a fetched key set is trusted before it is fetched again; default 10 minutes. */
  cacheMaxAgeMs?: number;
  /** Minimum gap between refetches triggered by an unknown `kid`; default 30 seconds. */
  cooldownMs?: number;
  /**
   * How the key set is fetched; default the global `fetch`. A gateway passes one that sends the request
   * through discovery to a live identity instance; only `jwksUrl`'s path and query are then used.
   */
  fetch?: FetchImplementation;
}

export const DEFAULT_ALGORITHMS: VerificationAlgorithm[] = ['EdDSA', 'ES256'];
export const DEFAULT_CLOCK_TOLERANCE_SEC = 5;
export const DEFAULT_JWKS_TIMEOUT_MS = 2000;

/** Rejects a configured allow-list that would let symmetric or unsigned tokens through. */
export function checkedAlgorithms(algorithms: readonly string[] | undefined): VerificationAlgorithm[] {
  const list = algorithms ?? DEFAULT_ALGORITHMS;
  if (list.length === 0) throw new TypeError('auth: algorithms must not be empty');
  // Config arrives untyped from the environment, so the type alone does not keep HS256 or none out.
  const unsafe = list.filter((alg) => alg.toLowerCase() === 'none' || /^HS/i.test(alg));
  if (unsafe.length > 0) throw new TypeError(`auth: algorithms must be asymmetric, got ${unsafe.join(', ')}`);
  return [...list] as VerificationAlgorithm[];
}
