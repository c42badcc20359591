import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { CONFIG } from '@nestkit/config';
import { Role, type RegisterRequest } from '@nestkit/contracts/identity';
import { ConflictError } from '@nestkit/errors';
import { Like, QueryFailedError, type Repository } from 'typeorm';
import type { IdentityConfig } from '../identity.config';
import { PasswordHasher } from './password-hasher';
import { UserEntity } from './user.entity';
import { joinRoles } from './user-roles';

function isUniqueViolation(error: unknown): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const driverError = error.driverError as { code?: string } | undefined;
  return driverError?.code === '23505' || driverError?.code === 'SQLITE_CONSTRAINT_UNIQUE' || /UNIQUE constraint/i.test(error.message);
}

/** Registration. The password is stored only as an argon2id hash and never logged. */
@Injectable()
export class UsersService {
  private readonly logger = new Logger(UsersService.name);

  constructor(
    @InjectRepository(UserEntity) private readonly users: Repository<UserEntity>,
    private readonly hasher: PasswordHasher,
    @Inject(CONFIG) private readonly config: IdentityConfig,
  ) {}

  async register(request: RegisterRequest): Promise<{ id: string; email: string }> {
    const roles = (await this.becomesFirstAdmin(request.email)) ? [Role.user, Role.admin] : [Role.user];
    const user = { id: randomUUID(), email: request.email, passwordHash: await this.hasher.hash(request.password), roles: joinRoles(roles) };
    try {
      await this.users.insert(user);
    } catch (error) {
      if (isUniqueViolation(error)) throw new ConflictError(`an account for ${request.email} already exists`, 'identity.email-taken');
      throw error;
    }
    this.logger.log({ userId: user.id }, 'user registered');
    return { id: user.id, email: user.email };
  }

  // BOOTSTRAP_ADMIN_EMAIL makes its account admin at registration only while no admin exists, so the
  // setting cannot mint a second admin later; see BootstrapAdmin for the startup path.
  private async becomesFirstAdmin(email: string): Promise<boolean> {
    if (!this.config.BOOTSTRAP_ADMIN_EMAIL || email !== this.config.BOOTSTRAP_ADMIN_EMAIL) return false;
    return !(await this.users.exists({ where: { roles: Like(`%${Role.admin}%`) } }));
  }
}
