import { Controller, Delete, Put } from '@nestjs/common';
import { CurrentPrincipal, Permissions, type Principal } from '@nestkit/auth';
import { Permission, UserRoleParams, UserRolesResponse } from '@nestkit/contracts/identity';
import { ApiProblems, ApiZodResponse, ZodParams } from '@nestkit/openapi';
import { UserRolesService } from './user-roles.service';

/** Role administration: `PUT` grants, `DELETE` revokes; both are idempotent. */
@Controller('admin/users')
@Permissions(Permission.usersManageRoles)
export class UsersAdminController {
  constructor(private readonly roles: UserRolesService) {}

  @Put(':userId/roles/:role')
  @ApiZodResponse(200, UserRolesResponse, "The user's roles and permissions after the grant.")
  grant(@ZodParams(UserRoleParams) params: UserRoleParams, @CurrentPrincipal() admin: Principal): Promise<UserRolesResponse> {
    return this.roles.grant(params.userId, params.role, admin);
  }

  /** 409 `identity.cannot-revoke-own-admin` when an admin revokes their own admin role. */
  @Delete(':userId/roles/:role')
  @ApiZodResponse(200, UserRolesResponse, "The user's roles and permissions after the revocation.")
  @ApiProblems(409)
  revoke(@ZodParams(UserRoleParams) params: UserRoleParams, @CurrentPrincipal() admin: Principal): Promise<UserRolesResponse> {
    return this.roles.revoke(params.userId, params.role, admin);
  }
}
