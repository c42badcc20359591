import { createHmac, createPublicKey, randomUUID } from 'node:crypto';
import { type CryptoKey, type JSONWebKeySet, SignJWT } from 'jose';
import { ACCESS_TOKEN_TYPE, SERVICE_TOKEN_TYPE } from '../access-token.claims';
import { generateSigningKey, type PublicSigningJwk } from '../signing/signing-key';
import type { JwtVerifierOptions } from '../verification/jwt-verifier.options';
import { JwtTokenVerifier } from '../verification/jwt.token-verifier';
import type { AttackKeys } from './attack-tokens';

/** What to put in a test token; anything in `claims`/`header` overrides the defaults, `undefined` removes. */
export interface TestTokenOptions {
  subject?: string;
  roles?: unknown;
  email?: string;
  /** Lifetime from the fake clock's now; negative yields an already expired token. Default 300. */
  expiresIn?: number;
  claims?: Record<string, unknown>;
  /** `alg: 'none'` yields an unsigned token, `alg: 'HS*'` one MACed with `hmacSecret`. */
  header?: Record<string, unknown>;
  /** Secret for HS* tokens; defaults to the public key's PEM bytes, the classic algorithm-confusion attack. */
  hmacSecret?: Buffer;
}

const b64url = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

function dropUndefined(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined));
}

/**
 * A fake identity service for tests: an EdDSA key pair, its JWKS, a verifier wired to it, and `sign()`
 * for valid or deliberately broken access tokens.
 */
export class TestTokens {
  static readonly issuer = 'https://identity.test';
  static readonly audience = 'nestkit';

  /** A verifier that accepts exactly the valid tokens of this issuer. */
  readonly verifier: JwtTokenVerifier;

  private constructor(
    private readonly privateKey: CryptoKey,
    readonly publicJwk: PublicSigningJwk,
    private readonly now: () => Date,
  ) {
    this.verifier = JwtTokenVerifier.fromKeySet(this.jwks, this.verifierOptions);
  }

  /** Creates an issuer with a fresh key; `now` fixes the clock shared by signing and the verifier. */
  static async create(options: { now?: () => Date } = {}): Promise<TestTokens> {
    const { privateKey, publicJwk } = await generateSigningKey('EdDSA');
    return new TestTokens(privateKey, publicJwk, options.now ?? (() => new Date()));
  }

  /** The key set to pass to `JwtTokenVerifier.fromKeySet` or serve from a fake JWKS endpoint. */
  get jwks(): JSONWebKeySet {
    return { keys: [this.publicJwk] };
  }

  /** Options matching this issuer, for building verifiers over other key sources. */
  get verifierOptions(): JwtVerifierOptions {
    return { issuer: TestTokens.issuer, audience: TestTokens.audience, clock: this.now };
  }

  /** Builds a token; with no options it is a valid user access token for `user-1`. */
  async sign(options: TestTokenOptions = {}): Promise<string> {
    const header = dropUndefined({ alg: 'EdDSA', kid: this.publicJwk.kid, typ: ACCESS_TOKEN_TYPE, ...options.header });
    const payload = dropUndefined({ ...this.defaultClaims(options), ...options.claims });
    const alg = String(header['alg']);
    if (alg === 'none') return `${b64url(header)}.${b64url(payload)}.`;
    if (alg.startsWith('HS')) return this.macSigned(header, payload, options.hmacSecret);
    return new SignJWT(payload).setProtectedHeader(header as { alg: string }).sign(this.privateKey);
  }

  /** A service token (`typ: service+jwt`) for `clientId` and `audience`, as identity's `/oauth/token` issues it. */
  signService(options: { clientId?: string; audience?: string; expiresIn?: number; claims?: Record<string, unknown>; header?: Record<string, unknown> } = {}): Promise<string> {
    const clientId = options.clientId ?? 'orders';
    return this.sign({
      subject: clientId,
      expiresIn: options.expiresIn,
      header: { typ: SERVICE_TOKEN_TYPE, ...options.header },
      claims: { aud: options.audience ?? 'catalog', kind: 'service', client_id: clientId, ...options.claims },
    });
  }

  /** A verifier that accepts this issuer's service tokens for `audience`. */
  serviceVerifier(audience: string): JwtTokenVerifier {
    return this.verifier.derive({ tokenType: SERVICE_TOKEN_TYPE, audience });
  }

  /** This issuer as the genuine party of an {@link attackTokens} suite. */
  attackKeys(extra: Pick<AttackKeys, 'refreshToken' | 'attackerUrl' | 'claims'> = {}): AttackKeys {
    return { privateKey: this.privateKey, publicJwk: this.publicJwk, issuer: TestTokens.issuer, audience: TestTokens.audience, now: this.now, ...extra };
  }

  /** Replaces claims in a signed token while keeping its original signature. */
  static tamper(token: string, claims: Record<string, unknown>): string {
    const [header, payload, signature] = token.split('.');
    const decoded = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString()) as Record<string, unknown>;
    return `${header}.${b64url({ ...decoded, ...claims })}.${signature}`;
  }

  private defaultClaims(options: TestTokenOptions): Record<string, unknown> {
    const nowSec = Math.floor(this.now().getTime() / 1000);
    return {
      iss: TestTokens.issuer,
      aud: TestTokens.audience,
      sub: options.subject ?? 'user-1',
      jti: randomUUID(),
      iat: nowSec,
      exp: nowSec + (options.expiresIn ?? 300),
      roles: options.roles ?? [],
      email: options.email,
    };
  }

  private macSigned(header: Record<string, unknown>, payload: Record<string, unknown>, secret?: Buffer): string {
    const key = secret ?? Buffer.from(createPublicKey({ key: this.publicJwk, format: 'jwk' }).export({ type: 'spki', format: 'pem' }));
    const input = `${b64url(header)}.${b64url(payload)}`;
    const hash = `sha${String(header['alg']).slice(2)}`;
    return `${input}.${createHmac(hash, key).update(input).digest('base64url')}`;
  }
}
