import { createParamDecorator, type CustomDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import { UnauthenticatedError } from '@nestkit/errors';
import { bearerToken } from '../authorization/bearer-token';
import type { Principal } from '../principal';
import { messagePrincipalOf } from './message-principals';

export const IS_PUBLIC = 'nestkit:auth:public';
export const IS_ANONYMOUS = 'nestkit:auth:anonymous';
export const IS_SERVICE_ONLY = 'nestkit:auth:service-only';
export const REQUIRED_ROLES = 'nestkit:auth:roles';
export const REQUIRED_PERMISSIONS = 'nestkit:auth:permissions';

/** The request shape the guard writes to: the verified caller under `principal`, the calling service under `caller`. */
export interface AuthenticatedRequest {
  headers: Record<string, string | string[] | undefined>;
  principal?: Principal;
  caller?: Principal;
}

/**
 * Marks a handler or controller as reachable without an end-user token. When the service demands a
 * service token from every caller (`AUTH_REQUIRE_SERVICE_TOKEN`), a public route still needs one: it is
 * public to users coming through the gateway, not to anyone who can reach the pod.
 */
export function Public(): CustomDecorator<string> {
  return SetMetadata(IS_PUBLIC, true);
}

/** Marks a route reachable with no credentials at all, not even a service token: health probes, JWKS, `/oauth/token`. */
export function Anonymous(): CustomDecorator<string> {
  return SetMetadata(IS_ANONYMOUS, true);
}

/** Only other services may call: a valid service token is required; `@Roles`/`@Permissions` apply to the calling service. */
export function ServiceOnly(): CustomDecorator<string> {
  return SetMetadata(IS_SERVICE_ONLY, true);
}

/** Requires the caller to hold at least one of `roles`; a handler's list replaces its controller's. */
export function Roles(...roles: string[]): CustomDecorator<string> {
  return SetMetadata(REQUIRED_ROLES, roles);
}

/** Requires the caller to hold every one of `permissions`; a handler's list replaces its controller's. */
export function Permissions(...permissions: string[]): CustomDecorator<string> {
  return SetMetadata(REQUIRED_PERMISSIONS, permissions);
}

/** Reads the principal the guard attached; throws 401 when there is none (e.g. on a `@Public()` route). */
export function principalOf(request: AuthenticatedRequest): Principal {
  if (!request.principal) throw new UnauthenticatedError('authentication required', 'missing-token');
  return request.principal;
}

/** Injects the authenticated {@link Principal} into an HTTP or message handler parameter. */
export const CurrentPrincipal = createParamDecorator((_data: unknown, context: ExecutionContext): Principal => {
  if (context.getType() === 'rpc') {
    const principal = messagePrincipalOf(context.switchToRpc().getData(), context.switchToRpc().getContext());
    if (!principal) throw new UnauthenticatedError('authentication required', 'missing-message-identity');
    return principal;
  }
  return principalOf(context.switchToHttp().getRequest<AuthenticatedRequest>());
});

/** Injects the calling service's principal (from `x-service-authorization`), or undefined when none was presented. */
export const CallerService = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Principal | undefined => context.switchToHttp().getRequest<AuthenticatedRequest>().caller,
);

/** Reads the end user's access token the guard verified; throws 401 when the request carries none. */
export function userTokenOf(request: AuthenticatedRequest): string {
  if (request.principal?.kind !== 'user' || request.headers['authorization'] === undefined) {
    throw new UnauthenticatedError("this route needs the end user's access token", 'missing-token');
  }
  return bearerToken(request.headers['authorization']);
}

/**
 * Injects the end user's access token exactly as this request presented it (and the guard verified it),
 * for exchanging it into an on-behalf-of token: `MessageIdentityStamper.stamp(envelope, { onBehalfOf })`.
 * Pass it on; never log or store it.
 */
export const UserToken = createParamDecorator((_data: unknown, context: ExecutionContext): string =>
  userTokenOf(context.switchToHttp().getRequest<AuthenticatedRequest>()),
);
