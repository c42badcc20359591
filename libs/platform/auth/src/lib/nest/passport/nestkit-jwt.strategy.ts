import { type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard as PassportAuthGuard, PassportStrategy } from '@nestjs/passport';
import type { RequestAuthenticator } from '../../authentication/request-authenticator';
import type { Principal } from '../../principal';
import { accessRuleOf } from '../access-rule.reader';
import type { AuthenticatedRequest } from '../auth.decorators';
import { REQUEST_AUTHENTICATOR } from '../auth.tokens';
import { type JwtBearerAuthenticateOptions, JwtBearerStrategy } from './jwt-bearer.strategy';

/** Name the strategy registers under with Passport: `AuthGuard('nestkit-jwt')`. */
export const NESTKIT_JWT = 'nestkit-jwt';

/**
 * The platform's bearer-token verification as a `@nestjs/passport` strategy, for teams that build on
 * Passport. Provide it next to `AuthModule` (which supplies the authenticator) and guard routes with
 * {@link NestkitJwtGuard}. Override `validate()` to enrich the principal (e.g. load the user).
 */
@Injectable()
export class NestkitJwtStrategy extends PassportStrategy(JwtBearerStrategy, NESTKIT_JWT) {
  constructor(@Inject(REQUEST_AUTHENTICATOR) authenticator: RequestAuthenticator) {
    super(authenticator);
  }

  validate(principal: Principal): Principal {
    return principal;
  }
}

/**
 * `AuthGuard('nestkit-jwt')` from `@nestjs/passport` that honours the platform decorators (`@Public`,
 * `@Anonymous`, `@ServiceOnly`, `@Roles`, `@Permissions`) and exposes the principal to `@CurrentPrincipal()`
 * as well as to `request.user`.
 */
@Injectable()
export class NestkitJwtGuard extends PassportAuthGuard(NESTKIT_JWT) {
  constructor(private readonly reflector: Reflector) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    if (accessRuleOf(this.reflector, context).anonymous) return true;
    // Public routes still run the strategy: the service-token rule may apply even without a user token.
    const allowed = (await super.canActivate(context)) as boolean;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest & { user?: Principal }>();
    if (request.user) request.principal = request.user;
    return allowed;
  }

  override getAuthenticateOptions(context: ExecutionContext): JwtBearerAuthenticateOptions {
    return { rule: accessRuleOf(this.reflector, context) };
  }

  override handleRequest<TUser = Principal>(error: unknown, user: unknown, _info: unknown, context: ExecutionContext): TUser {
    if (error) throw error;
    if (!user && !accessRuleOf(this.reflector, context).public) throw new Error('nestkit-jwt: strategy succeeded without a principal');
    return user as TUser;
  }
}
