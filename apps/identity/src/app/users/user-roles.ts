import { Role } from '@nestkit/contracts/identity';

const ORDER: readonly string[] = [Role.user, Role.admin];

/** Parses the stored comma-separated roles. */
export function splitRoles(stored: string): string[] {
  return stored.split(',').filter(Boolean);
}

/** Stores roles comma-separated, without duplicates, in a stable order (known roles first). */
export function joinRoles(roles: readonly string[]): string {
  const rank = (role: string) => (ORDER.includes(role) ? ORDER.indexOf(role) : ORDER.length);
  return [...new Set(roles)].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b)).join(',');
}
