import helmet from 'helmet';
import type { GatewayFilter, Next, ProxyExchange, ProxyResponse } from '../exchange';

/**
 * Helmet's security headers on every proxied answer. Helmet is Express-style middleware that sets the
 * same headers on every response, so it runs once at boot against a recording response and the result
 * is copied onto each answer (no per-request work). The set is an API's: a content policy under which
 * nothing may be loaded or framed from a JSON answer (`default-src 'none'; frame-ancestors 'none'`),
 * `nosniff`, HSTS, no referrer, same-origin opener and resource policies, and `X-Frame-Options`.
 */
export class SecurityHeadersFilter implements GatewayFilter {
  readonly name = 'security-headers';
  private readonly headers: readonly (readonly [string, string])[];

  constructor() {
    const recorded: Record<string, string> = {};
    const res = {
      setHeader: (name: string, value: unknown) => (recorded[name.toLowerCase()] = String(value)),
      removeHeader: (name: string) => delete recorded[name.toLowerCase()],
      getHeader: (name: string) => recorded[name.toLowerCase()],
    };
    const middleware = helmet({
      contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
      // Headers for HTML documents and retired browsers (IE's download prompt, Flash policies, the XSS
      // auditor, DNS prefetching, origin-keyed agent clusters) say nothing about a JSON answer; each one
      // is bytes on every response of the hot path.
      originAgentCluster: false,
      xDnsPrefetchControl: false,
      xDownloadOptions: false,
      xPermittedCrossDomainPolicies: false,
      xXssProtection: false,
    });
    let failed: unknown;
    middleware({ headers: {} } as never, res as never, (error?: unknown) => (failed = error));
    if (failed) throw new Error(`helmet could not compute the security headers: ${String(failed)}`);
    this.headers = Object.entries(recorded);
  }

  handle(exchange: ProxyExchange, next: Next): Promise<ProxyResponse> {
    for (const [name, value] of this.headers) exchange.responseHeaders[name] = value;
    return next(exchange);
  }
}
