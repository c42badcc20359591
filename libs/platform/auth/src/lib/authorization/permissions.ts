import { ForbiddenError } from '@nestkit/errors';
import type { Principal } from '../principal';

/** Passes when the principal holds every one of `required` (or nothing is required); else a 403 naming what is missing. */
export function assertAllPermissions(principal: Principal, required: readonly string[]): void {
  const held = principal.permissions ?? [];
  const missing = required.filter((permission) => !held.includes(permission));
  if (missing.length === 0) return;
  throw new ForbiddenError(`missing permission: ${missing.join(', ')}`, 'missing-permission');
}
