/**
 * Hashes a string to an unsigned 32-bit integer: FNV-1a over the UTF-16 code units, then murmur3's
 * finaliser. FNV-1a alone is fast but lets similar strings (`user-1`, `user-2`) land close together;
 * the finaliser spreads them over the whole ring. The result depends on nothing but the string, so
 * every replica of a caller maps a key to the same instance.
 */
export function hash32(value: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < value.length; i += 1) {
    hash ^= value.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}
