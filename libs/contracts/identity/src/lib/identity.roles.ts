import { z } from 'zod';

/** Role names identity grants. `service` is held by service clients only, never granted to a user. */
export const Role = {
  user: 'user',
  admin: 'admin',
  service: 'service',
} as const;

/** A role an admin may grant to or revoke from a user account (`service` is not one of them). */
export const GrantableRole = z.enum([Role.user, Role.admin]);
export type GrantableRole = z.infer<typeof GrantableRole>;

/**
 * Permission names, `<service>:<resource>:<action>`. Tokens carry them in the `permissions` claim, derived
 * from the holder's roles with {@link permissionsFor} when identity signs the token; guards check them
 * with `@Permissions(...)`. Use these constants, never string literals.
 */
export const Permission = {
  catalogRead: 'catalog:products:read',
  catalogWrite: 'catalog:products:write',
  ordersPlace: 'orders:orders:place',
  ordersReadOwn: 'orders:orders:read-own',
  ordersReadAny: 'orders:orders:read-any',
  notificationsReadOwn: 'notifications:notifications:read-own',
  usersManageRoles: 'identity:users:manage-roles',
  keysRead: 'identity:signing-keys:read',
  keysRotate: 'identity:signing-keys:rotate',
} as const;
export type Permission = (typeof Permission)[keyof typeof Permission];

const USER_PERMISSIONS: readonly Permission[] = [Permission.catalogRead, Permission.ordersPlace, Permission.ordersReadOwn, Permission.notificationsReadOwn];

/** What each role allows. A role not listed here grants no permission. */
export const ROLE_PERMISSIONS: Readonly<Record<string, readonly Permission[]>> = {
  [Role.user]: USER_PERMISSIONS,
  [Role.admin]: [
    ...USER_PERMISSIONS,
    Permission.catalogWrite,
    Permission.ordersReadAny,
    Permission.usersManageRoles,
    Permission.keysRead,
    Permission.keysRotate,
  ],
  [Role.service]: [],
};

/** The permissions a holder of `roles` has: the union of each role's, sorted, without duplicates. */
export function permissionsFor(roles: readonly string[]): Permission[] {
  const granted = new Set<Permission>();
  for (const role of roles) for (const permission of ROLE_PERMISSIONS[role] ?? []) granted.add(permission);
  return [...granted].sort();
}
