import { Controller, Delete, Param, Put } from '@nestjs/common';
import { CurrentPrincipal, Permissions, type Principal } from '@nestkit/auth';
import { Permission, UserRoleParams, type UserRolesResponse } from '@nestkit/contracts/identity';
import { ZodValidationPipe } from '@nestkit/errors';
import { UserRolesService } from './user-roles.service';

/** Role administration: `PUT` grants, `DELETE` revokes; both are idempotent. */
@Controller('admin/users')
@Permissions(Permission.usersManageRoles)
export class UsersAdminController {
  constructor(private readonly roles: UserRolesService) {}

  @Put(':userId/roles/:role')
  grant(@Param(new ZodValidationPipe(UserRoleParams)) params: UserRoleParams, @CurrentPrincipal() admin: Principal): Promise<UserRolesResponse> {
    return this.roles.grant(params.userId, params.role, admin);
  }

  @Delete(':userId/roles/:role')
  revoke(@Param(new ZodValidationPipe(UserRoleParams)) params: UserRoleParams, @CurrentPrincipal() admin: Principal): Promise<UserRolesResponse> {
    return this.roles.revoke(params.userId, params.role, admin);
  }
}
