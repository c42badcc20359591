import { randomUUID } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { type CryptoKey, type JWTPayload, SignJWT } from 'jose';
import { ACCESS_TOKEN_TYPE, SERVICE_TOKEN_TYPE } from '../access-token.claims';
import type { SigningAlgorithm } from './signing-key';

/** How the identity service signs tokens. */
export interface TokenSignerOptions {
  issuer: string;
  /** Audience of user access tokens. Service tokens name theirs per call. */
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
  /** Derived from the roles by the issuer; omitted from the token when undefined. */
  permissions?: readonly string[];
  email?: string;
}

/** What a service token says: which client, for which (narrow) audience, for how long. */
export interface ServiceTokenSubject {
  clientId: string;
  audience: string | string[];
  ttlSec: number;
  roles?: readonly string[];
  permissions?: readonly string[];
  /** On-behalf-of (token exchange): the user the service acts for; the token's `sub` becomes the user's. */
  onBehalfOf?: { subject: string; roles: readonly string[]; permissions?: readonly string[]; expiresAt?: number };
}

/** A signed token with its lifetime in seconds and its `jti`. */
export interface SignedAccessToken {
  token: string;
  expiresIn: number;
  tokenId: string;
}

function positiveInteger(value: number, name: string): void {
  if (!Number.isInteger(value) || value <= 0) throw new TypeError(`auth: ${name} must be a positive integer`);
}

/**
 * Signs user access tokens (`typ: at+jwt`) and service tokens (`typ: service+jwt`) with the claims
 * {@link JwtTokenVerifier} expects, so issuer and verifiers agree on the format by sharing this code.
 */
export class TokenSigner {
  constructor(private readonly options: TokenSignerOptions) {
    positiveInteger(options.accessTtlSec, 'accessTtlSec');
  }

  /** The key id this signer stamps into every token header. */
  get kid(): string {
    return this.options.kid;
  }

  /** Signs an access token for a user; each token gets a fresh random `jti`. */
  signAccessToken(subject: AccessTokenSubject): Promise<SignedAccessToken> {
    const claims = {
      roles: [...subject.roles],
      ...(subject.permissions === undefined ? {} : { permissions: [...subject.permissions] }),
      ...(subject.email === undefined ? {} : { email: subject.email }),
    };
    return this.sign(ACCESS_TOKEN_TYPE, subject.subject, this.options.audience, this.options.accessTtlSec, claims);
  }

  /**
   * Signs a service token for a client: `sub` and `client_id` name the client, `kind: 'service'`. With
   * `onBehalfOf`, `sub` is the user and `act.sub` the client (RFC 8693), expiring no later than the user's token.
   */
  signServiceToken(subject: ServiceTokenSubject): Promise<SignedAccessToken> {
    positiveInteger(subject.ttlSec, 'ttlSec');
    const user = subject.onBehalfOf;
    if (!user) {
      const claims = { kind: 'service', client_id: subject.clientId, roles: [...(subject.roles ?? [])], ...permissionsClaim(subject.permissions) };
      return this.sign(SERVICE_TOKEN_TYPE, subject.clientId, subject.audience, subject.ttlSec, claims);
    }
    const claims = { client_id: subject.clientId, act: { sub: subject.clientId }, roles: [...user.roles], ...permissionsClaim(user.permissions) };
    const left = user.expiresAt === undefined ? subject.ttlSec : user.expiresAt - this.nowSec();
    return this.sign(SERVICE_TOKEN_TYPE, user.subject, subject.audience, Math.max(1, Math.min(subject.ttlSec, left)), claims);
  }

  private nowSec(): number {
    return Math.floor((this.options.clock?.() ?? new Date()).getTime() / 1000);
  }

  private async sign(typ: string, sub: string, audience: string | string[], ttlSec: number, claims: JWTPayload): Promise<SignedAccessToken> {
    const { issuer, privateKey, kid, alg } = this.options;
    const nowSec = this.nowSec();
    const tokenId = randomUUID();
    const token = await new SignJWT(claims)
      .setProtectedHeader({ alg, kid, typ })
      .setIssuer(issuer)
      .setAudience(audience)
      .setSubject(sub)
      .setJti(tokenId)
      .setIssuedAt(nowSec)
      .setExpirationTime(nowSec + ttlSec)
      .sign(privateKey);
    return { token, expiresIn: ttlSec, tokenId };
  }
}

function permissionsClaim(permissions: readonly string[] | undefined): { permissions?: string[] } {
  return permissions === undefined ? {} : { permissions: [...permissions] };
}
