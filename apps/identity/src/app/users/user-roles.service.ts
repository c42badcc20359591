import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Principal } from '@nestkit/auth';
import { type GrantableRole, permissionsFor, Role, type UserRolesResponse } from '@nestkit/contracts/identity';
import { ConflictError, NotFoundError } from '@nestkit/errors';
import type { Repository } from 'typeorm';
import { UserEntity } from './user.entity';
import { joinRoles, splitRoles } from './user-roles';

/**
 * Grants and revokes roles (admin only). Changes reach tokens at the user's next refresh; access tokens
 * already issued keep their roles until they expire (ACCESS_TOKEN_TTL_SEC).
 */
@Injectable()
export class UserRolesService {
  private readonly logger = new Logger(UserRolesService.name);

  constructor(@InjectRepository(UserEntity) private readonly users: Repository<UserEntity>) {}

  grant(userId: string, role: GrantableRole, by: Principal): Promise<UserRolesResponse> {
    return this.change(userId, by, role, (roles) => [...roles, role]);
  }

  /** Refuses an admin's revoking their own admin role (409), so the last admin cannot lock everyone out by mistake. */
  async revoke(userId: string, role: GrantableRole, by: Principal): Promise<UserRolesResponse> {
    if (role === Role.admin && userId === by.subject) {
      throw new ConflictError('an admin cannot revoke their own admin role; ask another admin', 'identity.cannot-revoke-own-admin');
    }
    return this.change(userId, by, role, (roles) => roles.filter((held) => held !== role));
  }

  private async change(userId: string, by: Principal, role: string, edit: (roles: string[]) => string[]): Promise<UserRolesResponse> {
    const user = await this.users.findOneBy({ id: userId });
    if (!user) throw new NotFoundError(`user ${userId} not found`, 'identity.user-not-found');
    const roles = splitRoles(joinRoles(edit(splitRoles(user.roles))));
    await this.users.update({ id: userId }, { roles: joinRoles(roles) });
    this.logger.log({ userId, role, roles, by: by.subject }, 'user roles changed');
    return { userId, roles, permissions: permissionsFor(roles) };
  }
}
