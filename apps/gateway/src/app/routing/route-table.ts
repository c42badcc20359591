/** One entry of the gateway's routing table: requests under `prefix` go to `service`. */
export interface Route {
  /** Public path prefix, matched on a segment boundary (`/api/orders` matches `/api/orders/1`, not `/api/ordersx`). */
  prefix: string;
  /** Service name as registered in discovery. */
  service: string;
  /** What replaces `prefix` in the upstream path. */
  upstreamPrefix: string;
  /** Hedge idempotent reads (GET, HEAD): a second attempt on another instance after the upstream's p95. */
  hedge?: boolean;
  /**
   * Requests that need no user token at the edge, as `"<METHOD> <path below the prefix>"` with `*` for
   * one segment (see `isPublicRequest`). Every other request must carry a valid user access token, or
   * the gateway answers 401 without calling the service.
   */
  public?: readonly string[];
}

/** A matched route and the path (with query string) to request upstream. */
export interface RouteMatch {
  route: Route;
  upstreamPath: string;
  /** The request path below the route prefix, without query string (`/login` for `/api/identity/login`). */
  localPath: string;
}

/**
 * The static routing table. Matching stays here; hedging is opt-in per route (`hedge: true`): it trades
 * up to one extra upstream call per slow read for a lower tail latency.
 *
 * Edge authentication is decided per route: only the entries under `public` pass without a user token:
 * registering, logging in, refreshing and logging out (their credentials are in the body), the token
 * endpoint (client credentials), the JWKS, and reading the catalogue. Everything else (orders,
 * notifications, identity's admin API, catalogue writes) needs a valid user token. The services
 * verify every token again and decide roles (403) and ownership (404) themselves.
 */
export const DEFAULT_ROUTES: readonly Route[] = [
  {
    prefix: '/api/identity',
    service: 'identity',
    upstreamPrefix: '',
    public: ['POST /register', 'POST /login', 'POST /refresh', 'POST /logout', 'POST /oauth/token', 'GET /.well-known/jwks.json'],
  },
  { prefix: '/api/catalog', service: 'catalog', upstreamPrefix: '', public: ['GET /products', 'GET /products/*'] },
  { prefix: '/api/orders', service: 'orders', upstreamPrefix: '/orders' },
  { prefix: '/api/notifications', service: 'notifications', upstreamPrefix: '/notifications' },
];

/** Injection token of the gateway's route table (the default one with the configured options applied). */
export const ROUTES = Symbol('nestkit.gateway.routes');

/**
 * The default routes with hedging switched on for the prefixes in `hedged` (config `HEDGED_ROUTES`).
 * Throws a `RangeError` naming an unknown prefix and the known ones, so a typo fails at boot.
 */
export function routeTable(hedged: readonly string[], routes: readonly Route[] = DEFAULT_ROUTES): readonly Route[] {
  const known = new Set(routes.map((route) => route.prefix));
  const unknown = hedged.filter((prefix) => !known.has(prefix));
  if (unknown.length > 0) throw new RangeError(`unknown route prefix ${unknown.map((p) => `"${p}"`).join(', ')}; routes are ${[...known].join(', ')}`);
  return routes.map((route) => (hedged.includes(route.prefix) ? { ...route, hedge: true } : route));
}

/** Finds the longest matching prefix for `url` (path plus optional query) and rewrites the path. */
export function matchRoute(routes: readonly Route[], url: string): RouteMatch | undefined {
  const queryAt = url.indexOf('?');
  const path = queryAt === -1 ? url : url.slice(0, queryAt);
  const query = queryAt === -1 ? '' : url.slice(queryAt);
  let best: Route | undefined;
  for (const route of routes) {
    const matches = path === route.prefix || path.startsWith(`${route.prefix}/`);
    if (matches && (!best || route.prefix.length > best.prefix.length)) best = route;
  }
  if (!best) return undefined;
  const rest = path.slice(best.prefix.length);
  const upstreamPath = `${best.upstreamPrefix}${rest}` || '/';
  return { route: best, upstreamPath: `${upstreamPath}${query}`, localPath: rest || '/' };
}
