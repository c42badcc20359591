import { UnauthenticatedError } from '@nestkit/errors';
import { decodeProtectedHeader, type JSONWebKeySet, jwtVerify, type JWTVerifyGetKey, type ProtectedHeaderParameters } from 'jose';
import { ACCESS_TOKEN_TYPE, INVALID_TOKEN, principalFromClaims, REQUIRED_CLAIMS } from '../access-token.claims';
import type { Principal } from '../principal';
import type { TokenVerifier, VerifyOptions } from '../token-verifier';
import { checkedAlgorithms, DEFAULT_CLOCK_TOLERANCE_SEC, type JwksUrlVerifierOptions, type JwtVerifierOptions, type VerificationAlgorithm } from './jwt-verifier.options';
import { type KeySetProvider, localKeySource, providedKeySource, remoteKeySource } from './key-source';
import { tokenFailure } from './token-failure';

// Headers that name a key or key location chosen by the sender; trusting any of them lets an attacker
// pick the key that verifies their own token, so their mere presence rejects the token.
const SENDER_KEY_HEADERS = ['jku', 'x5u', 'jwk', 'x5c'] as const;

// Far above any real access token; stops oversized input before any parsing or crypto work.
const MAX_TOKEN_LENGTH = 8192;

function invalid(reason: string): UnauthenticatedError {
  return new UnauthenticatedError(reason, INVALID_TOKEN);
}

function protectedHeaderOf(token: string): ProtectedHeaderParameters {
  try {
    return decodeProtectedHeader(token);
  } catch {
    throw invalid('malformed token');
  }
}

function assertNoSenderKeys(token: string): void {
  const header = protectedHeaderOf(token);
  const named = SENDER_KEY_HEADERS.find((name) => name in header);
  if (named) throw invalid(`header not allowed: ${named}`);
}

/** The options a derived verifier may change; the key source and algorithms stay shared. */
export type VerifierOverrides = Partial<Pick<JwtVerifierOptions, 'audience' | 'tokenType' | 'clockToleranceSec'>>;

/**
 * Verifies tokens signed by the identity service: asymmetric signature from the configured key source,
 * algorithm allow-list, `typ` (default `at+jwt`), `iss`, `aud`, `exp`/`nbf` with a small clock tolerance,
 * `sub`, `jti`, and the shape of `roles`, `permissions`, `kind` and `act`.
 */
export class JwtTokenVerifier implements TokenVerifier {
  private readonly algorithms: VerificationAlgorithm[];
  private readonly tokenType: string;

  private constructor(
    private readonly keys: JWTVerifyGetKey,
    private readonly options: JwtVerifierOptions,
  ) {
    this.algorithms = checkedAlgorithms(options.algorithms);
    this.tokenType = options.tokenType ?? ACCESS_TOKEN_TYPE;
  }

  /** A verifier that fetches (and caches) keys from the JWKS URL in the options, never from the token. */
  static fromJwksUrl(options: JwksUrlVerifierOptions): JwtTokenVerifier {
    return new JwtTokenVerifier(remoteKeySource(options), options);
  }

  /** A verifier over a fixed key set, for tests and single-process setups. */
  static fromKeySet(jwks: JSONWebKeySet, options: JwtVerifierOptions): JwtTokenVerifier {
    return new JwtTokenVerifier(localKeySource(jwks), options);
  }

  /** A verifier over a key set that changes, e.g. the identity service verifying with its own rotating keys. */
  static fromKeyProvider(provider: KeySetProvider, options: JwtVerifierOptions): JwtTokenVerifier {
    return new JwtTokenVerifier(providedKeySource(provider), options);
  }

  /**
   * A verifier for another token type or audience over the same key source (one JWKS cache), e.g. the
   * service-token verifier next to the user-token one: `verifier.derive({ tokenType: SERVICE_TOKEN_TYPE, audience: 'catalog' })`.
   */
  derive(overrides: VerifierOverrides): JwtTokenVerifier {
    return new JwtTokenVerifier(this.keys, { ...this.options, ...overrides });
  }

  async verify(token: string, options: VerifyOptions = {}): Promise<Principal> {
    if (typeof token !== 'string' || token.length === 0) throw invalid('token missing');
    if (token.length > MAX_TOKEN_LENGTH) throw invalid('token too large');
    assertNoSenderKeys(token);
    const currentDate = options.at ?? this.options.clock?.();
    try {
      const { payload } = await jwtVerify(token, this.keys, {
        algorithms: this.algorithms,
        issuer: this.options.issuer,
        audience: this.options.audience,
        typ: this.tokenType,
        requiredClaims: REQUIRED_CLAIMS,
        clockTolerance: this.options.clockToleranceSec ?? DEFAULT_CLOCK_TOLERANCE_SEC,
        ...(currentDate ? { currentDate } : {}),
      });
      return principalFromClaims(payload, this.tokenType);
    } catch (error) {
      throw tokenFailure(error, this.tokenType);
    }
  }
}
