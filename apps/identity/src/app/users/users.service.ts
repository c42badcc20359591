import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { LoginRequest, RegisterRequest, TokenResponse } from '@nestkit/contracts/identity';
import { ConflictError, UnauthenticatedError } from '@nestkit/errors';
import { hash, verify } from 'argon2';
import { QueryFailedError, type Repository } from 'typeorm';
import { RefreshTokens } from '../tokens/refresh-tokens';
import { SigningKeys } from '../tokens/signing-keys';
import { UserEntity } from './user.entity';

/** argon2id with OWASP's recommended minimum (19 MiB, 2 passes, 1 lane). */
const ARGON2_OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

function isUniqueViolation(error: unknown): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const driverError = error.driverError as { code?: string } | undefined;
  return driverError?.code === '23505' || driverError?.code === 'SQLITE_CONSTRAINT_UNIQUE' || /UNIQUE constraint/i.test(error.message);
}

/** Registration and login. Wrong e-mail and wrong password fail the same way, in about the same time. */
@Injectable()
export class UsersService {
  private readonly logger = new Logger(UsersService.name);
  private dummyHash?: Promise<string>;

  constructor(
    @InjectRepository(UserEntity) private readonly users: Repository<UserEntity>,
    private readonly keys: SigningKeys,
    private readonly refreshTokens: RefreshTokens,
  ) {}

  async register(request: RegisterRequest): Promise<{ id: string; email: string }> {
    const user = { id: randomUUID(), email: request.email, passwordHash: await hash(request.password, ARGON2_OPTIONS), roles: 'user' };
    try {
      await this.users.insert(user);
    } catch (error) {
      if (isUniqueViolation(error)) throw new ConflictError(`an account for ${request.email} already exists`, 'identity.email-taken');
      throw error;
    }
    this.logger.log({ userId: user.id }, 'user registered');
    return { id: user.id, email: user.email };
  }

  async login(request: LoginRequest): Promise<TokenResponse> {
    const user = await this.users.findOneBy({ email: request.email });
    // Verify against a dummy hash when the account does not exist, so timing does not reveal which e-mails are registered.
    const passwordOk = await verify(user?.passwordHash ?? (await this.dummy()), request.password);
    if (!user || !passwordOk) throw new UnauthenticatedError('e-mail or password is wrong', 'identity.bad-credentials');
    const access = await this.keys.signer.signAccessToken({ subject: user.id, roles: user.roles.split(','), email: user.email });
    const refreshToken = await this.refreshTokens.issue(user.id);
    return { accessToken: access.token, refreshToken, expiresIn: access.expiresIn };
  }

  private dummy(): Promise<string> {
    this.dummyHash ??= hash(randomUUID(), ARGON2_OPTIONS);
    return this.dummyHash;
  }
}
