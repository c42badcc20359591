import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Where a key is in its life: published before it signs, kept after it stops until its tokens expire. */
export type SigningKeyStateName = 'next' | 'active' | 'retiring';

/** A signing key pair. The private half is stored only sealed (AES-256-GCM under SIGNING_KEY_SECRET). */
@Entity({ name: 'signing_keys' })
export class SigningKeyEntity {
  /** RFC 7638 thumbprint of the public key. */
  @PrimaryColumn({ type: 'varchar', length: 64 })
  kid!: string;

  @Column({ type: 'varchar', length: 16 })
  alg!: string;

  @Column({ type: 'varchar', length: 16 })
  state!: SigningKeyStateName;

  /** The public JWK as JSON, exactly as the JWKS publishes it. */
  @Column({ name: 'public_jwk', type: 'text' })
  publicJwk!: string;

  /** The sealed private JWK (see PrivateKeyCipher). */
  @Column({ name: 'private_key', type: 'text' })
  privateKey!: string;

  /** Epoch ms the key was made and published. */
  @Column({ name: 'created_at', type: 'bigint' })
  createdAt!: string;

  /** Epoch ms the key started signing. */
  @Column({ name: 'activated_at', type: 'bigint', nullable: true })
  activatedAt!: string | null;

  /** Epoch ms after which a retiring key leaves the JWKS: every token it signed has expired by then. */
  @Column({ name: 'remove_after', type: 'bigint', nullable: true })
  removeAfter!: string | null;
}
