import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { generateSigningKey, type PublicSigningJwk, TokenSigner } from '@nestkit/auth';
import { CONFIG } from '@nestkit/config';
import type { IdentityConfig } from '../identity.config';

/**
 * The key that signs access tokens and the JWKS that publishes its public half. The key is made at
 * boot and lives in memory: a restart ends every access token (refresh tokens survive). Persisted keys
 * with rotation (publish before signing, keep until the last token expires) come with the identity issue.
 */
@Injectable()
export class SigningKeys implements OnModuleInit {
  private current?: { signer: TokenSigner; jwk: PublicSigningJwk };

  constructor(@Inject(CONFIG) private readonly config: IdentityConfig) {}

  async onModuleInit(): Promise<void> {
    const key = await generateSigningKey('EdDSA');
    this.current = {
      jwk: key.publicJwk,
      signer: new TokenSigner({
        issuer: this.config.AUTH_ISSUER,
        audience: this.config.AUTH_AUDIENCE,
        privateKey: key.privateKey,
        kid: key.publicJwk.kid,
        alg: 'EdDSA',
        accessTtlSec: this.config.ACCESS_TOKEN_TTL_SEC,
      }),
    };
  }

  get signer(): TokenSigner {
    if (!this.current) throw new Error('signing key not initialised yet');
    return this.current.signer;
  }

  /** The public keys verifiers accept, as a JSON Web Key Set. */
  jwks(): { keys: PublicSigningJwk[] } {
    return { keys: this.current ? [this.current.jwk] : [] };
  }
}
