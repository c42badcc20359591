import { EdgeError } from '../edge-error';
import type { GatewayFilter, Next, ProxyExchange, ProxyResponse } from '../exchange';

/** CORS settings (config `CORS_*`). */
export interface CorsOptions {
  /** Exact origins (`https://shop.example.com`, scheme, host and port); never `*` or `null`. Empty: CORS off. */
  readonly origins: readonly string[];
  readonly credentials: boolean;
  readonly allowedHeaders: readonly string[];
  readonly exposedHeaders: readonly string[];
  readonly maxAgeSeconds: number;
}

/**
 * CORS with an explicit origin allow-list: an allowed `Origin` is echoed (exact, case-insensitive match
 * on the whole origin, so `https://evil.example`, `null`, `https://shop.example.com.evil.example` and
 * `https://evilshop.example.com` get nothing), every answer of a CORS-enabled gateway says
 * `Vary: Origin` (caches must not serve one origin's answer to another), and preflights are answered
 * here, 204 with the allowed method and headers, or 403 problem+json naming what is not allowed.
 */
export class CorsFilter implements GatewayFilter {
  readonly name = 'cors';
  private readonly origins: ReadonlySet<string>;
  private readonly allowed: ReadonlySet<string>;
  private readonly allowHeaders: string;
  private readonly exposeHeaders: string;

  constructor(private readonly options: CorsOptions) {
    this.origins = new Set(options.origins.map((origin) => origin.toLowerCase()));
    this.allowed = new Set(options.allowedHeaders.map((name) => name.toLowerCase()));
    this.allowHeaders = [...this.allowed].join(', ');
    this.exposeHeaders = options.exposedHeaders.join(', ');
  }

  handle(exchange: ProxyExchange, next: Next): Promise<ProxyResponse> {
    if (this.origins.size === 0) return next(exchange);
    const headers = exchange.responseHeaders;
    headers['vary'] = 'Origin';
    const origin = exchange.req.headers.origin;
    const allowed = origin !== undefined && this.origins.has(origin.toLowerCase());
    const requested = exchange.req.headers['access-control-request-method'];
    if (exchange.method === 'OPTIONS' && requested !== undefined) return this.preflight(exchange, allowed ? (origin as string) : undefined, String(requested).toUpperCase());
    if (allowed) {
      headers['access-control-allow-origin'] = origin as string;
      if (this.options.credentials) headers['access-control-allow-credentials'] = 'true';
      if (this.exposeHeaders) headers['access-control-expose-headers'] = this.exposeHeaders;
    }
    return next(exchange);
  }

  private async preflight(exchange: ProxyExchange, origin: string | undefined, method: string): Promise<ProxyResponse> {
    if (!origin) throw new EdgeError(403, 'cors-origin-not-allowed', `Origin ${JSON.stringify(exchange.req.headers.origin ?? null)} may not call this API; allowed origins are set by CORS_ALLOWED_ORIGINS.`, 'forbidden');
    const asked = String(exchange.req.headers['access-control-request-headers'] ?? '')
      .split(',')
      .map((name) => name.trim().toLowerCase())
      .filter(Boolean);
    const refused = asked.filter((name) => !this.allowed.has(name));
    if (refused.length > 0) throw new EdgeError(403, 'cors-header-not-allowed', `Request header(s) ${refused.join(', ')} are not allowed cross-origin; allowed: ${this.allowHeaders}.`, 'forbidden');
    const headers = exchange.responseHeaders;
    headers['access-control-allow-origin'] = origin;
    if (this.options.credentials) headers['access-control-allow-credentials'] = 'true';
    headers['access-control-allow-methods'] = exchange.match.route.methods.includes(method as never) ? exchange.match.route.methods.join(', ') : method;
    if (this.allowHeaders) headers['access-control-allow-headers'] = this.allowHeaders;
    headers['access-control-max-age'] = String(this.options.maxAgeSeconds);
    headers['vary'] = 'Origin, Access-Control-Request-Method, Access-Control-Request-Headers';
    return { status: 204, headers: {}, body: null };
  }
}
