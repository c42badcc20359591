/** Headers as Node gives them: lower-case names, repeated headers as arrays. */
export type HeaderInput = Record<string, string | string[] | undefined>;

/** The response header carrying purge tags; it is stripped from what is stored and served. */
export const CACHE_TAG_HEADER = 'cache-tag';

/** Lower-case names, repeated values joined with ", " (the list form; `set-cookie` responses are never stored). */
export function flatHeaders(headers: HeaderInput): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

/** The purge tags of a response's `cache-tag` header: space- or comma-separated, de-duplicated. */
export function cacheTags(flat: Record<string, string>): string[] {
  const raw = flat[CACHE_TAG_HEADER];
  if (!raw) return [];
  return [...new Set(raw.split(/[\s,]+/).filter((tag) => tag.length > 0))];
}

/** `headers` without the `cache-tag` header, in any case, keeping the shape (arrays stay arrays). */
export function withoutCacheTag<T extends string | string[]>(headers: Record<string, T>): Record<string, T> {
  const copy: Record<string, T> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (name.toLowerCase() !== CACHE_TAG_HEADER) copy[name] = value;
  }
  return copy;
}

/** The lower-case, sorted field names of a `Vary` value; `['*']` when it contains `*`. */
export function varyNames(vary: string | undefined): string[] {
  if (!vary) return [];
  const names = vary.toLowerCase().split(',').map((name) => name.trim()).filter((name) => name.length > 0);
  return names.includes('*') ? ['*'] : [...new Set(names)].sort();
}

function opaqueTag(etag: string): string {
  return etag.trim().replace(/^W\//, '');
}

/** True when `ifNoneMatch` (`*` or a list of entity tags) matches `etag` by weak comparison (RFC 9110 13.1.2). */
export function ifNoneMatchHits(ifNoneMatch: string | undefined, etag: string | undefined): boolean {
  if (!ifNoneMatch || !etag) return false;
  if (ifNoneMatch.trim() === '*') return true;
  const wanted = opaqueTag(etag);
  return ifNoneMatch.split(',').some((candidate) => opaqueTag(candidate) === wanted);
}

/** Headers a 304 carries (RFC 9110 15.4.5) plus `age`, picked from the headers of the response it stands for. */
export function notModifiedHeaders<T extends string | string[]>(headers: Record<string, T>): Record<string, T> {
  const kept: Record<string, T> = {};
  for (const name of ['cache-control', 'content-location', 'date', 'etag', 'expires', 'vary', 'age']) {
    const value = headers[name];
    if (value !== undefined) kept[name] = value;
  }
  return kept;
}
