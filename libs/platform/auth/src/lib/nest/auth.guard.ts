import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { bearerToken } from '../authorization/bearer-token';
import { assertAnyRole } from '../authorization/roles';
import type { TokenVerifier } from '../token-verifier';
import { type AuthenticatedRequest, IS_PUBLIC, REQUIRED_ROLES } from './auth.decorators';
import { TOKEN_VERIFIER } from './auth.tokens';

/**
 * Authenticates every HTTP request from its bearer token and enforces `@Roles()`, unless the route is
 * `@Public()`. Failures are thrown as AppErrors so the problem-details filter maps them: 401 for bad
 * credentials, 403 for a missing role, 503 when keys cannot be fetched. Non-HTTP contexts pass through
 * untouched until message identity lands.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    @Inject(TOKEN_VERIFIER) private readonly verifier: TokenVerifier,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const principal = await this.verifier.verify(bearerToken(request.headers['authorization']));
    request.principal = principal;
    assertAnyRole(principal, this.reflector.getAllAndOverride<string[] | undefined>(REQUIRED_ROLES, targets) ?? []);
    return true;
  }
}
