import { rateLimitPolicyConfigSchema } from '@nestkit/rate-limit';
import { z } from 'zod';

/**
 * The gateway's route language, shared by its routes file (`config/gateway.routes.yaml`) and by the
 * routes services announce in their registration metadata. Every field is validated at load; a bad
 * file is refused as a whole (the previous table stays in force), a bad announced route is skipped and
 * logged with the service and the reason.
 */

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
export type Method = (typeof METHODS)[number];

const serviceName = z.string().regex(/^[a-z][a-z0-9-]{0,62}$/, 'expected a service name as registered in discovery (lower case, digits, dashes)');
const headerName = z
  .string()
  .regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, 'expected an HTTP header name')
  .transform((name) => name.toLowerCase());
const headerValue = z.string().regex(/^[\t\x20-\x7e\x80-\xff]*$/, 'header values may not contain control characters');

/** find-my-way syntax: static segments, `:param` segments, and an optional trailing `*`. */
const routePath = z
  .string()
  .regex(/^\/[A-Za-z0-9\-._~!$&'()+,;=:@/%]*(\/\*)?$/, 'expected a path such as /api/catalog/products/:id or /api/catalog/*')
  .refine((path) => !path.includes('//'), 'a path may not contain an empty segment');

const prefix = z.string().regex(/^(\/[A-Za-z0-9\-._~!$&'()+,;=:@%]+)*$/, 'expected "" or a path prefix such as /orders (no trailing slash)');

const auth = z.union([
  z.literal('public'),
  z.literal('user'),
  z
    .object({ roles: z.array(z.string().min(1)).min(1).optional(), permissions: z.array(z.string().min(1)).min(1).optional() })
    .strict()
    .refine((rule) => rule.roles !== undefined || rule.permissions !== undefined, 'give roles, permissions, or both'),
]);

/** Where a consistent-hash key (or a sticky canary assignment) is read from. */
const keySource = z.union([
  z.object({ header: headerName }).strict(),
  z.object({ cookie: z.string().min(1) }).strict(),
  z.object({ param: z.string().min(1) }).strict(),
  z.object({ user: z.literal(true) }).strict(),
]);
export type KeySource = z.infer<typeof keySource>;

export const BALANCER_STRATEGIES = ['round-robin', 'random', 'least-pending', 'p2c', 'weighted', 'zone', 'consistent-hash'] as const;

const balancer = z
  .object({
    strategy: z.enum(BALANCER_STRATEGIES),
    /** consistent-hash only: the key that picks the instance. */
    key: keySource.optional(),
    /** zone only: the zone to prefer (default the gateway's own ZONE). */
    zone: z.string().min(1).optional(),
  })
  .strict()
  .refine((b) => (b.strategy === 'consistent-hash') === (b.key !== undefined), { message: 'consistent-hash needs a key (header, cookie, param or user), and only consistent-hash takes one', path: ['key'] });

const versions = z
  .object({
    /** Share of requests per instance `version` (metadata), e.g. `{ "1.0.0": 90, "2.0.0": 10 }`; shares are relative. */
    weights: z.record(z.string().min(1), z.number().min(0)).refine((w) => Object.values(w).some((share) => share > 0), 'at least one version needs a share above 0'),
    /** A request header naming the version to use; it wins over the split when that version has instances. */
    header: headerName.default('x-version'),
    /** A cookie naming the version to use, like the header (the header wins when both are sent). */
    cookie: z.string().min(1).optional(),
    /** Authenticated users always land on the same version (hash of user id and route); anonymous ones are split at random. */
    sticky: z.boolean().default(true),
  })
  .strict();

const headerRules = z
  .object({
    set: z.record(headerName, headerValue).optional(),
    remove: z.array(headerName).optional(),
    rename: z.record(headerName, headerName).optional(),
  })
  .strict();

const cache = z
  .object({
    /** Freshness for responses that carry no Cache-Control/Expires of their own; 0 (default): only what the service allows. */
    defaultTtlMs: z.number().int().min(0).max(86_400_000).default(0),
  })
  .strict();

const routeFields = z
  .object({
    path: routePath,
    /** Default: every method. */
    methods: z.array(z.enum(METHODS)).min(1).optional(),
    service: serviceName,
    /** The upstream path: the public path with `stripPrefix` removed and `addPrefix` put before it. */
    rewrite: z.object({ stripPrefix: prefix.optional(), addPrefix: prefix.optional() }).strict().optional(),
    /** `public` needs no token, `user` a valid user token, `{ roles }`/`{ permissions }` also those grants. Default `user`. */
    auth: auth.default('user'),
    /** Budget of the upstream call, until response headers (default the gateway's UPSTREAM_TIMEOUT_MS). */
    timeoutMs: z.number().int().min(50).max(120_000).optional(),
    /** Retry idempotent calls with a replayable body on another instance (default true). */
    retry: z.boolean().default(true),
    /** Hedge idempotent reads: a second attempt after the upstream's p95 latency; first answer wins. */
    hedge: z.boolean().default(false),
    /** Largest request body, in bytes (default the gateway's BODY_LIMIT_BYTES). */
    bodyLimitBytes: z.number().int().min(0).max(1024 * 1024 * 1024).optional(),
    /** Requests per identity (user id when authenticated, client IP otherwise): `{ limit: 100, window: '1m' }`. */
    rateLimit: rateLimitPolicyConfigSchema.optional(),
    /** Opt-in response cache for GET and HEAD. */
    cache: cache.optional(),
    /** Default: the gateway's round-robin over healthy instances. */
    balancer: balancer.optional(),
    /** Canary / blue-green / A/B split by instance `version`. */
    versions: versions.optional(),
    headers: z.object({ request: headerRules.optional(), response: headerRules.optional() }).strict().optional(),
  })
  .strict();

function checkRoute(route: Omit<z.infer<typeof routeFields>, 'service'>, context: z.RefinementCtx): void {
  const strip = route.rewrite?.stripPrefix;
  if (strip && !(route.path === strip || route.path.startsWith(`${strip}/`))) {
    context.addIssue({ code: 'custom', path: ['rewrite', 'stripPrefix'], message: `"${strip}" is not a prefix of the route path "${route.path}"` });
  }
  if (route.cache && route.methods && route.methods.some((method) => method !== 'GET' && method !== 'HEAD')) {
    context.addIssue({ code: 'custom', path: ['cache'], message: 'only GET and HEAD routes can be cached; split the route by method' });
  }
}

/** One route of the routes file. */
export const routeSchema = routeFields.superRefine(checkRoute);
export type RouteSpec = z.infer<typeof routeSchema>;

/** What a service announces: a route without `service` (it is the announcer). */
export const announcedRouteSchema = routeFields.omit({ service: true }).superRefine(checkRoute);

/** The routes file. */
export const routesFileSchema = z.object({ routes: z.array(routeSchema) }).strict();
export type RoutesFile = z.infer<typeof routesFileSchema>;

export const ALL_METHODS: readonly Method[] = METHODS;
