import { type AccessRule, authorize, type Principal, type RequestAuthenticator } from '@nestkit/auth';
import { LRUCache } from 'lru-cache';
import type { GatewayFilter, Next, ProxyExchange, ProxyResponse } from '../exchange';

/** Verified tokens remembered at once, and for how long at most (never past the token's own `exp`). */
const CACHED_TOKENS = 10_000;
const CACHE_AT_MOST_MS = 60_000;

interface Verified {
  readonly principal: Principal;
  readonly until: number;
}

/**
 * Edge authentication per route: a `public` route passes as it is; any other needs a valid user access
 * token (401 problem+json otherwise, and the service is never called) with the route's roles or
 * permissions (403). The token is forwarded as it came, so the service verifies the same signed token
 * again and decides ownership itself.
 *
 * A verified token is remembered (by its exact header value) until it expires, at most a minute, so a
 * client's requests cost one signature check a minute rather than one each: the check is the most
 * expensive step of a proxied request. The edge can therefore accept a token for up to a minute after
 * its signing key was withdrawn; the service, which verifies every request, still refuses it.
 */
export class AuthFilter implements GatewayFilter {
  readonly name = 'auth';
  private readonly verified = new LRUCache<string, Verified>({ max: CACHED_TOKENS });

  constructor(
    private readonly authenticator: RequestAuthenticator,
    private readonly now: () => number = Date.now,
  ) {}

  // Not async on the paths that need no waiting: each async hop costs a promise on every request.
  handle(exchange: ProxyExchange, next: Next): Promise<ProxyResponse> {
    const rule = exchange.match.route.access;
    if (!rule) return next(exchange);
    const header = exchange.req.headers.authorization;
    const known = header === undefined ? undefined : this.verified.get(header);
    if (known && known.until > this.now()) {
      try {
        authorize(known.principal, rule);
      } catch (error) {
        return Promise.reject(error);
      }
      exchange.principal = known.principal;
      return next(exchange);
    }
    return this.verify(exchange, next, rule, header);
  }

  private async verify(exchange: ProxyExchange, next: Next, rule: AccessRule, header: string | undefined): Promise<ProxyResponse> {
    const { principal } = await this.authenticator.authenticate(exchange.req.headers, rule);
    exchange.principal = principal;
    if (principal && header !== undefined) {
      const expires = expiryOf(header);
      if (expires !== undefined) this.verified.set(header, { principal, until: Math.min(expires, this.now() + CACHE_AT_MOST_MS) });
    }
    return next(exchange);
  }
}

/** The `exp` of a JWT bearer header in ms (already verified: only read here), or undefined. */
function expiryOf(header: string): number | undefined {
  const payload = header.split('.')[1];
  if (!payload) return undefined;
  try {
    const exp = (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { exp?: unknown }).exp;
    return typeof exp === 'number' ? exp * 1_000 : undefined;
  } catch {
    return undefined;
  }
}
