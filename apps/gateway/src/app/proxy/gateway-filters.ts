import type { RequestAuthenticator } from '@nestkit/auth';
import type { HttpCache } from '@nestkit/http-cache';
import type { RateLimiter } from '@nestkit/rate-limit';
import type { GatewayFilter } from './exchange';
import { AuthFilter } from './filters/auth.filter';
import { CacheFilter } from './filters/cache.filter';
import { CorsFilter, type CorsOptions } from './filters/cors.filter';
import { HeaderRulesFilter } from './filters/header-rules.filter';
import { RateLimitFilter } from './filters/rate-limit.filter';
import { RequestIdFilter } from './filters/request-id.filter';
import { SecurityHeadersFilter } from './filters/security-headers.filter';

/** What the filters are built from. */
export interface FilterDeps {
  readonly authenticator: RequestAuthenticator;
  readonly limiter: RateLimiter;
  readonly cache: HttpCache;
  readonly cors: CorsOptions;
}

/**
 * The gateway's filter chain, in the order a request meets it (the answer meets it in reverse). This
 * list is the one place to add a filter: write a class implementing `GatewayFilter` (see `exchange.ts`
 * and the README's example) and put it where it belongs here.
 *
 * - request id first, so every answer (errors included) carries it;
 * - security headers and CORS before anything that can refuse, so refusals are readable cross-origin;
 * - auth before the rate limit, so limits count per user rather than per address when there is a user;
 * - header rules around the cache, so what comes out of the cache is shaped like what comes from upstream;
 * - the cache last: a hit answers without calling the service.
 */
export function gatewayFilters(deps: FilterDeps): GatewayFilter[] {
  return [
    new RequestIdFilter(),
    new SecurityHeadersFilter(),
    new CorsFilter(deps.cors),
    new AuthFilter(deps.authenticator),
    new RateLimitFilter(deps.limiter),
    new HeaderRulesFilter(),
    new CacheFilter(deps.cache),
  ];
}
