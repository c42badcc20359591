import { RateLimitedError, UnavailableError } from '@nestkit/errors';
import type { RateLimitPolicy, RateLimiter } from '@nestkit/rate-limit';
import type { GatewayFilter, Next, ProxyExchange, ProxyResponse } from '../exchange';

/**
 * A route's rate limit (`rateLimit` in its route), per identity: the user id once the auth filter has
 * verified a token, else the client's address as the trusted-proxy setting derives it (so a spoofed
 * `X-Forwarded-For` cannot mint identities). Every answer of a limited route carries `RateLimit-Policy`
 * and `RateLimit`; a refusal is 429 with `Retry-After`, or 503 when the shared store is down and the
 * gateway is configured to fail closed (`RATE_LIMIT_ON_STORE_ERROR=closed`).
 */
export class RateLimitFilter implements GatewayFilter {
  readonly name = 'rate-limit';

  constructor(private readonly limiter: RateLimiter) {}

  handle(exchange: ProxyExchange, next: Next): Promise<ProxyResponse> {
    const policy = exchange.match.route.rateLimit;
    return policy ? this.limit(exchange, next, policy) : next(exchange);
  }

  private async limit(exchange: ProxyExchange, next: Next, policy: RateLimitPolicy): Promise<ProxyResponse> {
    const identity = exchange.principal ? `user:${exchange.principal.subject}` : `ip:${exchange.clientIp}`;
    const decision = await this.limiter.consume(policy, identity);
    for (const name in decision.headers) exchange.responseHeaders[name.toLowerCase()] = decision.headers[name] as string;
    if (decision.allowed) return next(exchange);
    const retryAfter = Math.max(1, Math.ceil(decision.resetMs / 1_000));
    if (decision.reason === 'store-unavailable') {
      throw new UnavailableError('The rate-limit store is unavailable and this gateway fails closed; try again shortly.', 'rate-limit-store-unavailable');
    }
    throw new RateLimitedError(`Rate limit of ${policy.limit} requests per ${policy.windowMs / 1_000} s exceeded for this route; retry after ${retryAfter} s.`, retryAfter);
  }
}
