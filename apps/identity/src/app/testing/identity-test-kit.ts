import { JwtTokenVerifier } from '@nestkit/auth';
import { type IdentityConfig, identityConfigSchema } from '../identity.config';
import type { SigningKeys } from '../keys/signing-keys';

/** A clock tests move by hand. */
export class FakeClock {
  constructor(public now: Date = new Date('2030-01-01T00:00:00.000Z')) {}

  readonly clock = (): Date => this.now;

  advance(ms: number): void {
    this.now = new Date(this.now.getTime() + ms);
  }
}

/** Identity config for tests: in-memory SQLite, short lifetimes, a real (test-only) signing-key secret. */
export function testConfig(env: Record<string, string> = {}): IdentityConfig {
  return identityConfigSchema.parse({
    DATABASE_URL: 'sqlite::memory:',
    AUTH_ISSUER: 'test-issuer',
    AUTH_AUDIENCE: 'test-audience',
    ACCESS_TOKEN_TTL_SEC: '120',
    SIGNING_KEY_SECRET: 'test-only-signing-key-secret-0123456789',
    LOG_LEVEL: 'silent',
    ...env,
  });
}

/** A user-token verifier over identity's current JWKS, as another service would verify. */
export function verifierFor(keys: SigningKeys, clock?: () => Date): JwtTokenVerifier {
  return JwtTokenVerifier.fromKeyProvider(() => keys.jwks(), { issuer: 'test-issuer', audience: 'test-audience', ...(clock ? { clock } : {}) });
}
