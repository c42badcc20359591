import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import type { JWK } from 'jose';

/** A sealed private key as stored: AES-256-GCM, the key-encryption key's fingerprint, IV, ciphertext and tag. */
interface Sealed {
  v: 1;
  kek: string;
  iv: string;
  ct: string;
  tag: string;
}

/** Raised when a stored key cannot be opened: the wrong SIGNING_KEY_SECRET, or a tampered row. */
export class SealedKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SealedKeyError';
  }
}

/**
 * Encrypts private signing keys at rest with AES-256-GCM under a key derived from SIGNING_KEY_SECRET
 * (HKDF-SHA256). The key id is authenticated data, so a sealed key cannot be moved to another row.
 */
export class PrivateKeyCipher {
  private readonly kek: Buffer;
  /** Identifies the secret without revealing it, so a mismatch is reported as such. */
  readonly fingerprint: string;

  constructor(secret: string) {
    this.kek = Buffer.from(hkdfSync('sha256', secret, 'nestkit-identity', 'signing-key-encryption/v1', 32));
    this.fingerprint = createHmac('sha256', this.kek).update('fingerprint').digest('hex').slice(0, 16);
  }

  seal(privateJwk: JWK, kid: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.kek, iv).setAAD(Buffer.from(kid));
    const ct = Buffer.concat([cipher.update(JSON.stringify(privateJwk), 'utf8'), cipher.final()]);
    const sealed: Sealed = { v: 1, kek: this.fingerprint, iv: iv.toString('base64url'), ct: ct.toString('base64url'), tag: cipher.getAuthTag().toString('base64url') };
    return JSON.stringify(sealed);
  }

  open(stored: string, kid: string): JWK {
    const sealed = JSON.parse(stored) as Sealed;
    if (sealed.kek !== this.fingerprint) {
      throw new SealedKeyError(
        `signing key ${kid} was sealed with another SIGNING_KEY_SECRET (fingerprint ${sealed.kek}, this one is ${this.fingerprint}): start identity with the secret the keys were made with`,
      );
    }
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.kek, Buffer.from(sealed.iv, 'base64url'))
        .setAAD(Buffer.from(kid))
        .setAuthTag(Buffer.from(sealed.tag, 'base64url'));
      const plain = Buffer.concat([decipher.update(Buffer.from(sealed.ct, 'base64url')), decipher.final()]);
      return JSON.parse(plain.toString('utf8')) as JWK;
    } catch {
      throw new SealedKeyError(`signing key ${kid} failed its integrity check: the stored row was altered or belongs to another key`);
    }
  }
}
