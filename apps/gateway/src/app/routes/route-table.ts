import type { AccessRule } from '@nestkit/auth';
import type { ServiceInstance } from '@nestkit/discovery';
import {
  type Balancer,
  ConsistentHashBalancer,
  LeastPendingBalancer,
  type PendingTracker,
  PowerOfTwoChoicesBalancer,
  RandomBalancer,
  RoundRobinBalancer,
  WeightedBalancer,
  ZonePreferringBalancer,
} from '@nestkit/load-balancing';
import type { RateLimitPolicy } from '@nestkit/rate-limit';
import FindMyWay from 'find-my-way';
import { ALL_METHODS, type KeySource, type Method, type RouteSpec } from './route.schema';
import { unitHash, VersionSplit } from './version-split';

/** Where a route came from: the gateway's routes file, or a service's registration. */
export type RouteOrigin = 'file' | `service:${string}`;

/** A validated route, compiled once per table build so that requests only read it. */
export interface CompiledRoute {
  /** `GET,HEAD /api/catalog/products/:id`: names the route in logs, metrics and rate-limit keys. */
  readonly id: string;
  readonly origin: RouteOrigin;
  readonly spec: RouteSpec;
  readonly service: string;
  readonly methods: readonly Method[];
  readonly stripPrefix: string;
  readonly addPrefix: string;
  /** `undefined`: public; else the rule the user token must satisfy. */
  readonly access?: AccessRule;
  readonly timeoutMs: number;
  readonly bodyLimitBytes: number;
  readonly retry: boolean;
  readonly hedge: boolean;
  /** This route's balancer; undefined means the upstream's default (round robin). */
  readonly balancer?: Balancer<ServiceInstance>;
  readonly key?: KeySource;
  readonly versions?: VersionSplit;
  /** Named after the route, so each route counts on its own. */
  readonly rateLimit?: RateLimitPolicy;
}

/** A request's route, its path parameters, and the path (with query) to ask the upstream for. */
export interface RouteMatch {
  readonly route: CompiledRoute;
  readonly params: Readonly<Record<string, string | undefined>>;
  readonly upstreamPath: string;
}

/** Gateway-wide defaults a route may override. */
export interface RouteDefaults {
  readonly timeoutMs: number;
  readonly bodyLimitBytes: number;
  /** The gateway's zone, preferred by `zone` balancers without their own. */
  readonly zone?: string;
  /** Calls in flight per upstream service, for least-pending and p2c balancers. */
  readonly pendingOf: (service: string) => PendingTracker;
}

/** A route that could not be added, and why (a conflict with one added before it, or an invalid announcement). */
export interface RejectedRoute {
  readonly origin: RouteOrigin;
  readonly path: string;
  readonly reason: string;
}

type Store = { route: CompiledRoute };

/**
 * The routing table: routes compiled into a find-my-way radix tree (static segments, `:param` and a
 * trailing `*`), so matching costs the same however many routes there are. Immutable: a reload builds a
 * new table and swaps it in (`RouteTableHolder`), and requests already matched keep the route they got.
 *
 * Routes are added in order and the first one to claim a method and path keeps it, so the routes file
 * (added first) wins over what services announce; each refused route is reported in `rejected`.
 */
export class RouteTable {
  readonly rejected: readonly RejectedRoute[];
  private readonly router = FindMyWay({ ignoreTrailingSlash: true, caseSensitive: true, maxParamLength: 200 });

  private constructor(
    readonly routes: readonly CompiledRoute[],
    rejected: RejectedRoute[],
  ) {
    this.rejected = rejected;
  }

  /** Compiles `entries` in order (the routes file first, then announced routes by service name). */
  static build(entries: readonly { spec: RouteSpec; origin: RouteOrigin }[], defaults: RouteDefaults, rejected: RejectedRoute[] = []): RouteTable {
    const accepted: CompiledRoute[] = [];
    const table = new RouteTable(accepted, rejected);
    for (const { spec, origin } of entries) {
      const route = compile(spec, origin, defaults);
      const taken = route.methods.filter((method) => paths(spec.path).some((path) => table.router.hasRoute(method, path)));
      if (taken.length > 0) {
        rejected.push({ origin, path: spec.path, reason: `${taken.join(',')} ${spec.path} is already routed by an earlier route` });
        continue;
      }
      const store: Store = { route };
      for (const path of paths(spec.path)) for (const method of route.methods) table.router.on(method, path, noop, store);
      accepted.push(route);
    }
    return table;
  }

  /** The route for `method` and `path` (no query string), or undefined when none matches. */
  match(method: string, path: string, query: string): RouteMatch | undefined {
    const found = this.router.find(method as FindMyWay.HTTPMethod, path);
    if (!found) return undefined;
    const { route } = found.store as Store;
    const rest = path.slice(route.stripPrefix.length);
    const upstreamPath = `${route.addPrefix}${rest}` || '/';
    return { route, params: found.params, upstreamPath: query ? `${upstreamPath}?${query}` : upstreamPath };
  }
}

function noop(): void {
  // find-my-way wants a handler; the gateway reads the route from the store instead.
}

/** `/a/*` also answers `/a` itself; every other pattern is registered as written. */
function paths(pattern: string): string[] {
  return pattern.endsWith('/*') ? [pattern, pattern.slice(0, -2) || '/'] : [pattern];
}

function compile(spec: RouteSpec, origin: RouteOrigin, defaults: RouteDefaults): CompiledRoute {
  const declared = spec.methods ?? ALL_METHODS;
  // A GET route answers HEAD too, as every HTTP server does.
  const methods = declared.includes('GET') && !declared.includes('HEAD') ? [...declared, 'HEAD' as const] : [...declared];
  return {
    id: `${(spec.methods ?? ['*']).join(',')} ${spec.path}`,
    origin,
    spec,
    service: spec.service,
    methods,
    stripPrefix: spec.rewrite?.stripPrefix ?? '',
    addPrefix: spec.rewrite?.addPrefix ?? '',
    access: accessRule(spec.auth),
    timeoutMs: spec.timeoutMs ?? defaults.timeoutMs,
    bodyLimitBytes: spec.bodyLimitBytes ?? defaults.bodyLimitBytes,
    retry: spec.retry,
    hedge: spec.hedge,
    balancer: spec.balancer ? balancerFor(spec, defaults) : undefined,
    key: spec.balancer?.key,
    versions: spec.versions ? new VersionSplit(spec.versions, spec.path) : undefined,
    rateLimit: spec.rateLimit ? { name: policyName(spec), ...spec.rateLimit } : undefined,
  };
}

function accessRule(auth: RouteSpec['auth']): AccessRule | undefined {
  if (auth === 'public') return undefined;
  if (auth === 'user') return {};
  return { roles: auth.roles, permissions: auth.permissions };
}

function balancerFor(spec: RouteSpec, defaults: RouteDefaults): Balancer<ServiceInstance> {
  const strategy = spec.balancer?.strategy;
  switch (strategy) {
    case 'round-robin':
    case undefined:
      return new RoundRobinBalancer();
    case 'random':
      return new RandomBalancer();
    case 'least-pending':
      return new LeastPendingBalancer(defaults.pendingOf(spec.service));
    case 'p2c':
      return new PowerOfTwoChoicesBalancer(defaults.pendingOf(spec.service));
    case 'weighted':
      return new WeightedBalancer();
    case 'zone':
      return new ZonePreferringBalancer(spec.balancer?.zone ?? defaults.zone, new RoundRobinBalancer());
    case 'consistent-hash':
      return new ConsistentHashBalancer();
  }
}

/** A rate-limit policy name from the route (letters, digits and `. _ : / -`, at most 64). */
function policyName(spec: RouteSpec): string {
  const name = `${(spec.methods ?? ['ALL']).join('.')}:${spec.path}`.replace(/[^A-Za-z0-9._:/-]/g, '_');
  return name.length <= 64 ? name : `${name.slice(0, 55)}.${unitHashHex(name)}`;
}

function unitHashHex(text: string): string {
  return Math.floor(unitHash(text) * 0xffffffff).toString(16).padStart(8, '0');
}
