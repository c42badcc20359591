import { createHash } from 'node:crypto';

/**
 * The key of the GET response for `url` (path and query exactly as given): shared, or private to `user`.
 * HEAD requests read the same key; hosts are not part of it, so one store serves one API origin.
 */
export function primaryKey(url: string, user: string | undefined): string {
  return user === undefined ? `public GET ${url}` : `user:${encodeURIComponent(user)} GET ${url}`;
}

/** The key of the variant of `primary` selected by the values `headers` has for the `Vary` header `names`. */
export function variantKey(primary: string, names: readonly string[], headers: Readonly<Record<string, string>>): string {
  const hash = createHash('sha256');
  for (const name of names) {
    const value = headers[name];
    // \u0000 separates fields and \u0001 marks an absent header, so "absent" and "empty" select different variants.
    hash.update(`${name}\u0000${value === undefined ? '\u0001' : value}\u0000`);
  }
  return `${primary} vary:${hash.digest('base64url')}`;
}
