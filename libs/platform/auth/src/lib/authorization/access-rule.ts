import type { Principal } from '../principal';
import { assertAllPermissions } from './permissions';
import { assertAnyRole } from './roles';

/**
 * What a route or message handler demands of its caller, as its decorators declare it. The default (all
 * fields empty) is the strictest everyday rule: a valid end-user token, any role.
 */
export interface AccessRule {
  /** No credentials at all, not even a service token: health probes, the JWKS, the token endpoint. */
  anonymous?: boolean;
  /** No end-user token (a service token is still required when the service demands one from every caller). */
  public?: boolean;
  /** Only services may call: a valid service token is required; an end-user token is optional. */
  serviceOnly?: boolean;
  /** The caller needs at least one of these roles. */
  roles?: readonly string[];
  /** The caller needs every one of these permissions. */
  permissions?: readonly string[];
}

/** Enforces the rule's roles (any of) and permissions (all of) on an authenticated principal: 403 otherwise. */
export function authorize(principal: Principal, rule: AccessRule): void {
  assertAnyRole(principal, rule.roles ?? []);
  assertAllPermissions(principal, rule.permissions ?? []);
}
