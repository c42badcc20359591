import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import proxyaddr from 'proxy-addr';
import type { HeaderBag } from './exchange';

/**
 * Who the client is, from the socket and the `X-Forwarded-For` chain, trusting only the proxies in the
 * configured list (`TRUSTED_PROXIES`, proxy-addr syntax: `loopback`, `10.0.0.0/8`, `uniquelocal`...).
 * With an empty list no header is believed: the client is the socket's peer, so a client cannot mint new
 * identities (for rate limits) by sending a random `X-Forwarded-For`.
 */
export class ClientAddress {
  private readonly trust: (address: string, hop: number) => boolean;
  /** No trusted proxy: the header is never read at all. */
  private readonly trustsNone: boolean;

  constructor(trusted: readonly string[]) {
    this.trustsNone = trusted.length === 0;
    this.trust = this.trustsNone ? () => false : proxyaddr.compile([...trusted]);
  }

  /** The client's address: the nearest address in the chain that is not a trusted proxy. */
  of(req: IncomingMessage): string {
    return this.trustsNone ? (req.socket.remoteAddress ?? '') : proxyaddr(req, this.trust);
  }

  /**
   * The forwarding headers for the upstream: `x-forwarded-for` with the trusted part of the incoming
   * chain (client first, our peer last), `x-forwarded-proto`/`-host` believed only from a trusted peer,
   * and the RFC 7239 `forwarded` equivalent.
   */
  headers(req: IncomingMessage, clientIp: string): Record<string, string> {
    // proxyaddr.all: [socket peer, ...each trusted hop's claim..., the first untrusted address]
    const peer = req.socket.remoteAddress ?? '';
    const chain = this.trustsNone ? [peer] : proxyaddr.all(req, this.trust).reverse();
    const peerTrusted = !this.trustsNone && this.trust(peer, 0);
    const proto = (peerTrusted && first(req.headers['x-forwarded-proto'])) || ((req.socket as TLSSocket).encrypted ? 'https' : 'http');
    const host = (peerTrusted && first(req.headers['x-forwarded-host'])) || first(req.headers.host) || '';
    const forwarded = `for=${forwardedNode(clientIp)};proto=${proto}${host ? `;host="${host.replace(/["\\]/g, '')}"` : ''}`;
    return { 'x-forwarded-for': chain.join(', '), 'x-forwarded-proto': proto, ...(host ? { 'x-forwarded-host': host } : {}), forwarded };
  }
}

function first(value: string | string[] | undefined): string | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  return text?.split(',')[0]?.trim() || undefined;
}

/** RFC 7239 node: IPv6 in brackets and quotes. */
function forwardedNode(ip: string): string {
  return ip.includes(':') ? `"[${ip}]"` : ip;
}

/**
 * Request headers that never go upstream as the client sent them: hop-by-hop ones (RFC 9110 7.6.1),
 * forwarding headers (rebuilt from the trusted chain), the service credential header (the gateway sends
 * its own; a client's would let it speak as a service), the deadline (the gateway sets it from the
 * route's budget), cookies (the platform's services authenticate by bearer token; cookies stay at the
 * edge) and `host` (the upstream's is set by the client library).
 */
const NEVER_FORWARDED = new Set([
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
  'forwarded',
  'x-forwarded-for',
  'x-forwarded-proto',
  'x-forwarded-host',
  'x-forwarded-port',
  'x-real-ip',
  'x-service-authorization',
  'x-request-deadline',
  'cookie',
  // The trace goes on from the request's span (the upstream attempt's own traceparent), never copied.
  'traceparent',
  'tracestate',
  'baggage',
  'x-request-id',
]);

/**
 * The headers to send upstream: the client's end-to-end headers minus the ones above, minus any named
 * in its `Connection` header and in `dropped`, plus `extra` (which wins).
 */
export function upstreamHeaders(incoming: HeaderBag, dropped: ReadonlySet<string>, extra: Readonly<Record<string, string>>): Record<string, string | string[]> {
  const connection = incoming['connection'];
  const listed = connection ? new Set(String(connection).toLowerCase().split(',').map((name) => name.trim())) : undefined;
  const headers: Record<string, string | string[]> = {};
  for (const name in incoming) {
    if (NEVER_FORWARDED.has(name) || dropped.has(name) || listed?.has(name)) continue;
    const value = incoming[name];
    if (value !== undefined) headers[name] = value;
  }
  for (const name in extra) headers[name] = extra[name] as string;
  return headers;
}

/** Response headers never relayed: hop-by-hop ones (`cache-tag` goes on to the cache filter; the proxy drops it before answering). */
const NEVER_RELAYED = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer', 'date']);

/** The upstream's response headers as the client gets them (`set-cookie` stays a list). */
export function clientHeaders(upstream: Readonly<Record<string, string | string[]>>): Record<string, string | string[]> {
  const headers: Record<string, string | string[]> = {};
  for (const name in upstream) {
    if (!NEVER_RELAYED.has(name)) headers[name] = upstream[name] as string | string[];
  }
  return headers;
}
