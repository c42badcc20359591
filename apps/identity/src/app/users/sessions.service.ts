import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { type LoginRequest, permissionsFor, type TokenResponse } from '@nestkit/contracts/identity';
import { UnauthenticatedError } from '@nestkit/errors';
import type { Repository } from 'typeorm';
import { SigningKeys } from '../keys/signing-keys';
import { LoginThrottle } from '../login/login-throttle';
import { RefreshTokens } from '../tokens/refresh-tokens';
import { PasswordHasher } from './password-hasher';
import { UserEntity } from './user.entity';
import { splitRoles } from './user-roles';

/**
 * Login, refresh and logout. A wrong e-mail and a wrong password fail alike: same error, same argon2
 * work (a dummy hash stands in for a missing account), same throttling (counted per e-mail whether or
 * not it is registered). Access tokens carry the user's current roles and the permissions they grant.
 */
@Injectable()
export class SessionsService {
  constructor(
    @InjectRepository(UserEntity) private readonly users: Repository<UserEntity>,
    private readonly hasher: PasswordHasher,
    private readonly throttle: LoginThrottle,
    private readonly keys: SigningKeys,
    private readonly refreshTokens: RefreshTokens,
  ) {}

  /** Throws 429 `identity.login-throttled` when locked, else 401 `identity.bad-credentials` on any mismatch. */
  async login(request: LoginRequest, ip: string): Promise<TokenResponse> {
    await this.throttle.attempt(request.email, ip);
    const user = await this.users.findOneBy({ email: request.email });
    const passwordOk = await this.hasher.verifyOrDummy(user?.passwordHash, request.password);
    if (!user || !passwordOk) throw new UnauthenticatedError('e-mail or password is wrong', 'identity.bad-credentials');
    await this.throttle.succeeded(request.email, ip);
    return this.tokensFor(user, await this.refreshTokens.issue(user.id));
  }

  /** Trades a refresh token for a new pair (see RefreshTokens.rotate); the access token has the user's current roles. */
  async refresh(refreshToken: string): Promise<TokenResponse> {
    const { userId, refreshToken: successor } = await this.refreshTokens.rotate(refreshToken);
    const user = await this.users.findOneBy({ id: userId });
    if (!user) throw new UnauthenticatedError('refresh token is invalid, expired or revoked', 'identity.invalid-refresh-token');
    return this.tokensFor(user, successor);
  }

  /** Ends the session the refresh token belongs to. Access tokens already issued live until they expire. */
  logout(refreshToken: string): Promise<void> {
    return this.refreshTokens.revoke(refreshToken);
  }

  private async tokensFor(user: UserEntity, refreshToken: string): Promise<TokenResponse> {
    const roles = splitRoles(user.roles);
    const access = await this.keys.signer.signAccessToken({ subject: user.id, roles, permissions: permissionsFor(roles), email: user.email });
    return { accessToken: access.token, refreshToken, expiresIn: access.expiresIn };
  }
}
