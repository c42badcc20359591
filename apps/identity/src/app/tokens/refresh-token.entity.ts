import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/** An issued refresh token. Only its SHA-256 hash is stored, so a database leak yields no usable token. */
@Entity({ name: 'refresh_tokens' })
export class RefreshTokenEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Index()
  @Column({ name: 'user_id', type: 'varchar', length: 36 })
  userId!: string;

  @Column({ name: 'token_hash', type: 'varchar', length: 64, unique: true })
  tokenHash!: string;

  @Column({ name: 'expires_at', type: 'bigint' })
  expiresAt!: string;

  @CreateDateColumn({ name: 'created_at' })
  createdAt!: Date;
}
