import { calculateJwkThumbprint, type CryptoKey, exportJWK, generateKeyPair, type JWK } from 'jose';

/** Algorithms the identity service may sign access tokens with. */
export type SigningAlgorithm = 'EdDSA' | 'ES256';

/** A public key as published in the JWKS, always carrying `kid`, `alg` and `use: 'sig'`. */
export type PublicSigningJwk = JWK & { kid: string; alg: SigningAlgorithm; use: 'sig' };

/** A fresh key pair: the private half for {@link TokenSigner}, the public half for the JWKS endpoint. */
export interface SigningKey {
  privateKey: CryptoKey;
  publicJwk: PublicSigningJwk;
}

/**
 * Generates a signing key pair whose `kid` is the RFC 7638 thumbprint of the public key, so the same key
 * always has the same id. Pass `extractable: true` to persist the private key (e.g. as a JWK).
 */
export async function generateSigningKey(alg: SigningAlgorithm = 'EdDSA', options: { extractable?: boolean } = {}): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: options.extractable ?? false });
  const jwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(jwk);
  return { privateKey, publicJwk: { ...jwk, kid, alg, use: 'sig' } };
}
