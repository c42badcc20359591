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

function connectionNamed(headers: HeaderValues): readonly string[] {
  const value = headers['connection'] ?? headers['Connection'];
  if (value === undefined) return [];
  return String(value)
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean);
}

/**
 * The headers to send upstream: `defaults` overridden by the end-to-end ones of `headers`. Repeated values
 * stay arrays; `content-length` is kept when `streamed` (a `Readable` body undici cannot measure), so the
 * upstream gets the body as the client framed it instead of chunked.
 */
export function outgoingHeaders(defaults: Readonly<Record<string, string>> | undefined, headers: HeaderValues, streamed: boolean): Record<string, string | string[]> {
  const result: Record<string, string | string[]> = defaults ? { ...defaults } : {};
  const named = connectionNamed(headers);
  for (const name in headers) {
    const value = headers[name];
    if (value === undefined) continue;
    const key = name.toLowerCase();
    if ((HOP_BY_HOP.has(key) && !(streamed && key === 'content-length')) || (named.length > 0 && named.includes(key))) continue;
    result[key] = typeof value === 'string' ? value : Array.isArray(value) ? [...(value as readonly string[])] : String(value);
  }
  return result;
}

/**
 * The end-to-end headers of an upstream response (undici's lower-case record), `set-cookie` as `string[]`.
 * `content-length` stays: the body is relayed as it streams, byte for byte, so its length still holds.
 */
export function responseHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string | string[]> {
  const result: Record<string, string | string[]> = {};
  const named = connectionNamed(headers);
  for (const key in headers) {
    const value = headers[key];
    if (value === undefined || (HOP_BY_HOP.has(key) && key !== 'content-length') || (named.length > 0 && named.includes(key))) continue;
    result[key] = key === 'set-cookie' && typeof value === 'string' ? [value] : value;
  }
  return result;
}
