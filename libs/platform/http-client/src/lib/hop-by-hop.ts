// RFC 9110 §7.6.1: connection-scoped headers must not be relayed. undici also rejects several of them
// (transfer-encoding, upgrade, keep-alive, expect) outright, and computes host and content-length itself.
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'expect',
  'host',
  'content-length',
]);

/** Header values as Node's `IncomingHttpHeaders` or a plain record holds them. */
export type HeaderValues = Readonly<Record<string, string | readonly string[] | number | undefined>>;

/**
 * Returns the end-to-end headers of `headers`, lower-cased, without hop-by-hop ones or those the
 * `connection` header names.
 */
export function endToEndHeaders(headers: HeaderValues): Record<string, string> {
  const named = String(headers['connection'] ?? headers['Connection'] ?? '')
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean);
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const key = name.toLowerCase();
    if (value === undefined || HOP_BY_HOP.has(key) || named.includes(key)) continue;
    result[key] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  return result;
}
