import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { UserEntity } from '../users/user.entity';

/**
 * An issued refresh token. Only its SHA-256 hash is stored, so a database leak yields no usable token.
 * Every token descends from one login through rotations: they share a `familyId`, and reusing a spent
 * one revokes the whole family.
 */
@Entity({ name: 'refresh_tokens' })
export class RefreshTokenEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Index('refresh_tokens_user_id')
  @Column({ name: 'user_id', type: 'varchar', length: 36 })
  userId!: string;

  /** Deleting a user deletes their refresh tokens (and so ends their sessions). */
  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'refresh_tokens_user_fk' })
  user?: UserEntity;

  /** The login session this token belongs to: the id of its first token. */
  @Index('refresh_tokens_family_id')
  @Column({ name: 'family_id', type: 'varchar', length: 36 })
  familyId!: string;

  @Column({ name: 'token_hash', type: 'varchar', length: 64, unique: true })
  tokenHash!: string;

  @Column({ name: 'expires_at', type: 'bigint' })
  expiresAt!: string;

  /** Epoch ms the token was traded for its successor; presenting it again is reuse. */
  @Column({ name: 'used_at', type: 'bigint', nullable: true })
  usedAt!: string | null;

  /** Epoch ms the token's family was revoked (logout or detected reuse). */
  @Column({ name: 'revoked_at', type: 'bigint', nullable: true })
  revokedAt!: string | null;

  @CreateDateColumn({ name: 'created_at' })
  createdAt!: Date;
}
