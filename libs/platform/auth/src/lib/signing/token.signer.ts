import { randomUUID } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { type CryptoKey, SignJWT } from 'jose';
import { ACCESS_TOKEN_TYPE } from '../access-token.claims';
import type { SigningAlgorithm } from './signing-key';

/** How the identity service signs access tokens. */
export interface TokenSignerOptions {
  issuer: string;
  audience: string | string[];
  privateKey: CryptoKey | KeyObject;
  /** Published with the public key in the JWKS; verifiers select the key by it. */
  kid: string;
  alg: SigningAlgorithm;
  /** Access-token lifetime; keep it short (minutes), refresh tokens carry the session. */
  accessTtlSec: number;
  /** Source of "now"; tests pass a fixed clock. */
  clock?: () => Date;
}

/** Who an access token is for. */
export interface AccessTokenSubject {
  subject: string;
  roles: readonly string[];
  email?: string;
}

/** A signed access token with its lifetime in seconds and its `jti`. */
export interface SignedAccessToken {
  token: string;
  expiresIn: number;
  tokenId: string;
}

/**
 * Signs access tokens (`typ: at+jwt`) with the claims {@link JwtTokenVerifier} expects, so issuer and
 * verifiers agree on the format by sharing this code rather than a document.
 */
export class TokenSigner {
  constructor(private readonly options: TokenSignerOptions) {
    if (!Number.isInteger(options.accessTtlSec) || options.accessTtlSec <= 0) {
      throw new TypeError('auth: accessTtlSec must be a positive integer');
    }
  }

  /** Signs an access token for a user; each token gets a fresh random `jti`. */
  async signAccessToken(subject: AccessTokenSubject): Promise<SignedAccessToken> {
    const { issuer, audience, privateKey, kid, alg, accessTtlSec } = this.options;
    const nowSec = Math.floor((this.options.clock?.() ?? new Date()).getTime() / 1000);
    const tokenId = randomUUID();
    const claims = { roles: [...subject.roles], ...(subject.email === undefined ? {} : { email: subject.email }) };
    const token = await new SignJWT(claims)
      .setProtectedHeader({ alg, kid, typ: ACCESS_TOKEN_TYPE })
      .setIssuer(issuer)
      .setAudience(audience)
      .setSubject(subject.subject)
      .setJti(tokenId)
      .setIssuedAt(nowSec)
      .setExpirationTime(nowSec + accessTtlSec)
      .sign(privateKey);
    return { token, expiresIn: accessTtlSec, tokenId };
  }
}
