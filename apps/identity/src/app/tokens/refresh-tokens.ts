import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { CONFIG } from '@nestkit/config';
import type { Repository } from 'typeorm';
import type { IdentityConfig } from '../identity.config';
import { RefreshTokenEntity } from './refresh-token.entity';

/** SHA-256 is enough here: refresh tokens are 256 random bits, not guessable passwords. */
function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Issues opaque refresh tokens and stores only their hashes. Rotation and reuse detection come later. */
@Injectable()
export class RefreshTokens {
  constructor(
    @InjectRepository(RefreshTokenEntity) private readonly tokens: Repository<RefreshTokenEntity>,
    @Inject(CONFIG) private readonly config: IdentityConfig,
  ) {}

  async issue(userId: string): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    await this.tokens.insert({
      id: randomUUID(),
      userId,
      tokenHash: hashToken(token),
      expiresAt: String(Date.now() + this.config.REFRESH_TOKEN_TTL_SEC * 1_000),
    });
    return token;
  }
}
