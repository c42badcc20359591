import { type CryptoKey, exportJWK, importJWK } from 'jose';
import { generateSigningKey, type PublicSigningJwk, type SigningAlgorithm, TokenSigner } from '@nestkit/auth';
import type { PrivateKeyCipher } from './private-key.cipher';
import type { SigningKeyEntity, SigningKeyStateName } from './signing-key.entity';

/** What a signer made from a stored key needs besides the key. */
export interface SignerSettings {
  issuer: string;
  audience: string;
  accessTtlSec: number;
  clock: () => Date;
}

/** Makes new key rows (private half sealed) and turns stored rows back into signers and public JWKs. */
export class SigningKeyFactory {
  constructor(
    private readonly cipher: PrivateKeyCipher,
    private readonly alg: SigningAlgorithm,
  ) {}

  /** A fresh key pair as a row in `state`, made and published at `now`. */
  async create(state: SigningKeyStateName, now: number): Promise<SigningKeyEntity> {
    const { privateKey, publicJwk } = await generateSigningKey(this.alg, { extractable: true });
    return {
      kid: publicJwk.kid,
      alg: this.alg,
      state,
      publicJwk: JSON.stringify(publicJwk),
      privateKey: this.cipher.seal(await exportJWK(privateKey), publicJwk.kid),
      createdAt: String(now),
      activatedAt: state === 'active' ? String(now) : null,
      removeAfter: null,
    };
  }

  /** The public JWK a row publishes. */
  publicJwkOf(row: SigningKeyEntity): PublicSigningJwk {
    return JSON.parse(row.publicJwk) as PublicSigningJwk;
  }

  /** A signer over the row's private key, imported as non-extractable. */
  async signerOf(row: SigningKeyEntity, settings: SignerSettings): Promise<TokenSigner> {
    const privateKey = await importJWK(this.cipher.open(row.privateKey, row.kid), row.alg, { extractable: false });
    return new TokenSigner({
      issuer: settings.issuer,
      audience: settings.audience,
      privateKey: privateKey as CryptoKey,
      kid: row.kid,
      alg: row.alg as SigningAlgorithm,
      accessTtlSec: settings.accessTtlSec,
      clock: settings.clock,
    });
  }
}
