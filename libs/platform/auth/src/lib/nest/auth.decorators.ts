import { createParamDecorator, type CustomDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import { UnauthenticatedError } from '@nestkit/errors';
import type { Principal } from '../principal';

export const IS_PUBLIC = 'nestkit:auth:public';
export const REQUIRED_ROLES = 'nestkit:auth:roles';

/** The request shape the guard writes to: the verified caller under `principal`. */
export interface AuthenticatedRequest {
  headers: Record<string, string | string[] | undefined>;
  principal?: Principal;
}

/** Marks a handler or controller as reachable without a token; the guard skips it entirely. */
export function Public(): CustomDecorator<string> {
  return SetMetadata(IS_PUBLIC, true);
}

/** Requires the caller to hold at least one of `roles`; a handler's list replaces its controller's. */
export function Roles(...roles: string[]): CustomDecorator<string> {
  return SetMetadata(REQUIRED_ROLES, roles);
}

/** Reads the principal the guard attached; throws 401 when there is none (e.g. on a `@Public()` route). */
export function principalOf(request: AuthenticatedRequest): Principal {
  if (!request.principal) throw new UnauthenticatedError('authentication required', 'missing-token');
  return request.principal;
}

/** Injects the authenticated {@link Principal} into a handler parameter. */
export const CurrentPrincipal = createParamDecorator((_data: unknown, context: ExecutionContext): Principal =>
  principalOf(context.switchToHttp().getRequest<AuthenticatedRequest>()),
);
