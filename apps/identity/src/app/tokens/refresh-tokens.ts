import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { CONFIG } from '@nestkit/config';
import { UnauthenticatedError } from '@nestkit/errors';
import { IsNull, Not, type Repository } from 'typeorm';
import { type Clock, CLOCK } from '../clock';
import type { IdentityConfig } from '../identity.config';
import { RefreshTokenEntity } from './refresh-token.entity';

/** SHA-256 is enough here: refresh tokens are 256 random bits, not guessable passwords. */
function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

// One message for every refused refresh token, so a caller learns nothing about why.
const invalid = () => new UnauthenticatedError('refresh token is invalid, expired or revoked', 'identity.invalid-refresh-token');

/**
 * Opaque refresh tokens, stored only as hashes, rotated on every use. Each login starts a family; a
 * refresh spends the presented token and issues its successor in the same family. Presenting a spent
 * token again means it was copied: the whole family is revoked, so the thief's and the user's newest
 * tokens both stop working. Logout revokes the family too.
 */
@Injectable()
export class RefreshTokens {
  private readonly logger = new Logger(RefreshTokens.name);

  constructor(
    @InjectRepository(RefreshTokenEntity) private readonly tokens: Repository<RefreshTokenEntity>,
    @Inject(CONFIG) private readonly config: IdentityConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Starts a new family (a login) for the user and returns its first token. */
  issue(userId: string): Promise<string> {
    const id = randomUUID();
    return this.insert(userId, id, id);
  }

  /**
   * Spends `token` and returns its successor with the user it belongs to. Throws 401
   * `identity.invalid-refresh-token` for an unknown, expired, revoked or already spent token; a spent
   * one also revokes its family.
   */
  async rotate(token: string): Promise<{ userId: string; refreshToken: string }> {
    const now = this.clock().getTime();
    const row = await this.tokens.findOneBy({ tokenHash: hashToken(token) });
    if (!row || row.revokedAt !== null || (await this.familyRevoked(row.familyId))) throw invalid();
    if (row.usedAt !== null) {
      await this.revokeFamily(row.familyId, now);
      this.logger.warn({ userId: row.userId, familyId: row.familyId }, 'refresh token reused: session revoked');
      throw invalid();
    }
    if (Number(row.expiresAt) <= now) throw invalid();
    // Only one of two concurrent uses of a token can spend it; the loser is treated as reuse.
    const spent = await this.tokens.update({ id: row.id, usedAt: IsNull() }, { usedAt: String(now) });
    if (spent.affected !== 1) {
      await this.revokeFamily(row.familyId, now);
      throw invalid();
    }
    return { userId: row.userId, refreshToken: await this.insert(row.userId, row.familyId, randomUUID()) };
  }

  /** Ends the session `token` belongs to (logout). Unknown tokens are ignored, so logout reveals nothing. */
  async revoke(token: string): Promise<void> {
    const row = await this.tokens.findOneBy({ tokenHash: hashToken(token) });
    if (row) await this.revokeFamily(row.familyId, this.clock().getTime());
  }

  /** Deletes whole sessions whose newest token has expired; returns how many tokens went. */
  async pruneExpired(): Promise<number> {
    const expired = this.tokens
      .createQueryBuilder()
      .select('family_id')
      .groupBy('family_id')
      .having('MAX(expires_at) <= :now', { now: this.clock().getTime() });
    const result = await this.tokens.createQueryBuilder().delete().where(`family_id IN (${expired.getQuery()})`).setParameters(expired.getParameters()).execute();
    return result.affected ?? 0;
  }

  private async insert(userId: string, familyId: string, id: string): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    const expiresAt = this.clock().getTime() + this.config.REFRESH_TOKEN_TTL_SEC * 1_000;
    await this.tokens.insert({ id, userId, familyId, tokenHash: hashToken(token), expiresAt: String(expiresAt), usedAt: null, revokedAt: null });
    return token;
  }

  // Checked on every use rather than trusting the row's own mark: a successor inserted while the family
  // was being revoked is still caught by its revoked siblings.
  private async familyRevoked(familyId: string): Promise<boolean> {
    return (await this.tokens.countBy({ familyId, revokedAt: Not(IsNull()) })) > 0;
  }

  private async revokeFamily(familyId: string, now: number): Promise<void> {
    await this.tokens.update({ familyId, revokedAt: IsNull() }, { revokedAt: String(now) });
  }
}
