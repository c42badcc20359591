/**
 * Request headers the gateway passes upstream; everything else (cookies, hop-by-hop) stays at the edge.
 * Never `x-service-authorization`: the gateway sends its own, and a client's would let it speak as a service.
 */
const FORWARDED_REQUEST_HEADERS = [
  'accept',
  'accept-language',
  'authorization',
  'content-type',
  'idempotency-key',
  'if-match',
  'if-none-match',
  'user-agent',
];

/** Response headers never copied back to the client: hop-by-hop ones, and length (recomputed). */
const DROPPED_RESPONSE_HEADERS = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'content-length',
  'upgrade',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'date',
]);

/** Picks the request headers to forward, adding the standard `x-forwarded-*` ones. */
export function upstreamRequestHeaders(
  incoming: Record<string, string | string[] | undefined>,
  client: { ip: string; protocol: string; host?: string },
): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name of FORWARDED_REQUEST_HEADERS) {
    const value = incoming[name];
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  const priorFor = incoming['x-forwarded-for'];
  headers['x-forwarded-for'] = [priorFor, client.ip].flat().filter(Boolean).join(', ');
  headers['x-forwarded-proto'] = client.protocol;
  if (client.host) headers['x-forwarded-host'] = client.host;
  return headers;
}

/** The upstream response headers to return to the client. */
export function clientResponseHeaders(upstream: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(upstream).filter(([name]) => !DROPPED_RESPONSE_HEADERS.has(name.toLowerCase())));
}
