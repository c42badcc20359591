import { ForbiddenError, NotFoundError } from '@nestkit/errors';
import { ADMIN_ROLE } from '../access-token.claims';
import type { Principal } from '../principal';

/** Passes when the principal holds at least one of `required` (or nothing is required); else a 403. */
export function assertAnyRole(principal: Principal, required: readonly string[]): void {
  if (required.length === 0 || required.some((role) => principal.roles.includes(role))) return;
  const wanted = required.length === 1 ? required[0] : `one of ${required.join(', ')}`;
  throw new ForbiddenError(`missing role: ${wanted}`, 'missing-role');
}

/**
 * Passes when the principal owns the resource or is an admin; otherwise throws NotFoundError, not 403,
 * so a caller cannot learn that someone else's resource exists.
 */
export function assertOwner(principal: Principal, ownerId: string, resource = 'resource'): void {
  if (principal.subject === ownerId || principal.roles.includes(ADMIN_ROLE)) return;
  throw new NotFoundError(`${resource} not found`);
}
