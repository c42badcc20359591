import { createDecipheriv, hkdfSync } from 'node:crypto';
import { DatabaseSync } from 'node:sqlite';
import { type CryptoKey, importJWK, type JWK } from 'jose';

/** identity's active signing key, as the attack suite needs it to forge claims under a genuine signature. */
export interface GenuineKey {
  privateKey: CryptoKey;
  publicJwk: JWK & { kid: string; alg: string };
}

interface Sealed {
  iv: string;
  ct: string;
  tag: string;
}

/**
 * Reads the active signing key from identity's SQLite database and opens it with SIGNING_KEY_SECRET, as
 * an operator holding both could. Mirrors identity's documented at-rest format (apps/identity README:
 * AES-256-GCM under a key derived with HKDF-SHA256 from the secret, the kid as authenticated data), so a
 * change of that format fails here loudly.
 */
export async function activeSigningKey(databaseFile: string, secret: string): Promise<GenuineKey> {
  const database = new DatabaseSync(databaseFile, { readOnly: true });
  let row: { kid: string; alg: string; public_jwk: string; private_key: string } | undefined;
  try {
    row = database.prepare("SELECT kid, alg, public_jwk, private_key FROM signing_keys WHERE state = 'active'").get() as typeof row;
  } finally {
    database.close();
  }
  if (!row) throw new Error(`no active signing key in ${databaseFile}`);
  const kek = Buffer.from(hkdfSync('sha256', secret, 'nestkit-identity', 'signing-key-encryption/v1', 32));
  const sealed = JSON.parse(row.private_key) as Sealed;
  const decipher = createDecipheriv('aes-256-gcm', kek, Buffer.from(sealed.iv, 'base64url')).setAAD(Buffer.from(row.kid)).setAuthTag(Buffer.from(sealed.tag, 'base64url'));
  const privateJwk = JSON.parse(Buffer.concat([decipher.update(Buffer.from(sealed.ct, 'base64url')), decipher.final()]).toString('utf8')) as JWK;
  return { privateKey: (await importJWK(privateJwk, row.alg)) as CryptoKey, publicJwk: JSON.parse(row.public_jwk) as GenuineKey['publicJwk'] };
}
