import { type JsonSchema, type OpenApiDocument, type OpenApiOperation, type OpenApiPathItem, operationsOf } from './openapi-document';
import { PROBLEM_SCHEMA, PROBLEM_SCHEMA_NAME, problemResponse } from './problem.schema';

/** How the gateway exposes a service under a public prefix. */
export interface ExposedRoute {
  /** Public path prefix, e.g. '/api/catalog'. */
  publicPrefix: string;
  /** The upstream prefix that replaces it, e.g. '' or '/orders'. */
  upstreamPrefix: string;
  /** Methods the route forwards (any case); all when absent. */
  methods?: readonly string[];
  /**
   * True = no user token needed at the edge. A function is asked per operation with the upper-case
   * method and the service's path template (`/products/{id}`).
   */
  public: boolean | ((method: string, upstreamPath: string) => boolean);
}

/** One service's document and the routes that expose it. */
export interface ServiceOpenApi {
  service: string;
  document: OpenApiDocument;
  routes: readonly ExposedRoute[];
}

/** Extras the edge adds to every operation it exposes. */
export interface MergeOpenApiOptions {
  /** Error statuses the gateway itself may answer on every route (e.g. 429 when it rate-limits), as problem+json. */
  edgeProblems?: readonly number[];
}

/** Name of the bearer scheme in the merged document. */
export const GATEWAY_USER_TOKEN_SCHEME = 'userToken';

/**
 * One merged OpenAPI 3.1 document for clients of the gateway: each service's paths rewritten as clients
 * see them through the routes (service path `/products/{id}` served at `/api/catalog/products/{id}` when
 * the route strips `/api/catalog`), operationIds and component names prefixed per service so they
 * never collide (`catalog_products_get`, `CatalogProduct`), security from the route (public: none; else
 * the user's bearer token, and a 401), the edge's own problems (431; 400 on templated paths; `edgeProblems`),
 * one tag per service, `servers: [{ url: '/' }]`. Paths no route
 * exposes are left out. Two services exposing the same method and public path is a configuration
 * error and throws, naming both. Pure.
 */
export function mergeOpenApi(inputs: readonly ServiceOpenApi[], info: { title: string; version: string; description?: string }, options: MergeOpenApiOptions = {}): OpenApiDocument {
  const schemas: Record<string, JsonSchema> = {};
  const components: NonNullable<OpenApiDocument['components']> = {
    schemas,
    securitySchemes: { [GATEWAY_USER_TOKEN_SCHEME]: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: "The end user's access token from POST /api/identity/login." } },
  };
  const tags: { name: string; description?: string }[] = [];
  const merged: OpenApiDocument = { openapi: '3.1.0', info: { ...info }, servers: [{ url: '/' }], paths: {}, components, tags };
  const owners = new Map<string, string>();
  for (const input of inputs) {
    const prefixed = prefixComponents(input.service, input.document);
    tags.push({ name: input.service, description: input.document.info.title });
    for (const [kind, entries] of Object.entries(prefixed.components ?? {})) {
      if (kind === 'schemas') Object.assign(schemas, entries);
      else if (kind !== 'securitySchemes' && entries) components[kind] = { ...components[kind], ...entries };
    }
    // The edge's own 401 (and edgeProblems) refer to the service's Problem schema; a foreign document may lack one.
    schemas[`${schemaPrefix(input.service)}${PROBLEM_SCHEMA_NAME}`] ??= PROBLEM_SCHEMA;
    for (const [path, method, operation] of operationsOf(prefixed)) {
      const route = input.routes.find((candidate) => exposes(candidate, method, path));
      if (!route) continue;
      const publicPath = `${route.publicPrefix}${path.slice(route.upstreamPrefix.length)}`.replace(/\/$/, '') || '/';
      const key = `${method.toUpperCase()} ${publicPath}`;
      const owner = owners.get(key);
      if (owner) throw new Error(`${key} is exposed by both ${owner} and ${input.service}; give one of their routes another public prefix`);
      owners.set(key, input.service);
      const item: OpenApiPathItem = (merged.paths[publicPath] ??= {});
      if (prefixed.paths[path].parameters) item.parameters = prefixed.paths[path].parameters;
      item[method] = edgeOperation(input.service, operation, { open: isPublic(route, method, path), templated: publicPath.includes('{') }, options);
    }
  }
  return merged;
}

function exposes(route: ExposedRoute, method: string, path: string): boolean {
  const prefix = route.upstreamPrefix;
  const under = prefix === '' || path === prefix || path.startsWith(`${prefix}/`);
  return under && (!route.methods || route.methods.some((m) => m.toLowerCase() === method));
}

function isPublic(route: ExposedRoute, method: string, path: string): boolean {
  return typeof route.public === 'function' ? route.public(method.toUpperCase(), path) : route.public;
}

/**
 * What the edge answers on any route before a service sees the request: 431 when the request line and
 * headers pass the HTTP server's limit (Node's 16 KiB; a long query string does it), and, on a path with
 * parameters, 400 when a parameter's value encodes a slash, dot or backslash, which would change the path
 * forwarded upstream.
 */
const EDGE_PROBLEMS = ['431'];
const TEMPLATED_PATH_PROBLEMS = ['400'];

function edgeOperation(service: string, operation: OpenApiOperation, at: { open: boolean; templated: boolean }, options: MergeOpenApiOptions): OpenApiOperation {
  const responses = { ...operation.responses };
  const statuses = [...(at.open ? [] : ['401']), ...EDGE_PROBLEMS, ...(at.templated ? TEMPLATED_PATH_PROBLEMS : []), ...(options.edgeProblems ?? []).map(String)];
  for (const status of statuses) responses[status] ??= problemResponse(status, `#/components/schemas/${schemaPrefix(service)}${PROBLEM_SCHEMA_NAME}`);
  const rest = { ...operation };
  // The service's own requirement is replaced by what the edge demands.
  delete rest.security;
  return {
    ...rest,
    operationId: `${service}_${operation.operationId ?? 'operation'}`,
    tags: [service],
    responses: Object.fromEntries(Object.entries(responses).sort(([a], [b]) => a.localeCompare(b))),
    ...(at.open ? {} : { security: [{ [GATEWAY_USER_TOKEN_SCHEME]: [] }] }),
  };
}

/** `order-history` → `OrderHistory`: the prefix of a service's component names. */
function schemaPrefix(service: string): string {
  return service.split(/[^A-Za-z0-9]+/).map((part) => part.charAt(0).toUpperCase() + part.slice(1)).join('');
}

/** The document with every component (but security schemes) renamed `<Service><Name>` and every `$ref` to it rewritten. */
function prefixComponents(service: string, document: OpenApiDocument): OpenApiDocument {
  const prefix = schemaPrefix(service);
  const rename = (ref: string): string => ref.replace(/^#\/components\/([^/]+)\/(.+)$/, (all, kind: string, name: string) => (kind === 'securitySchemes' ? all : `#/components/${kind}/${prefix}${name}`));
  const rewritten = JSON.parse(JSON.stringify(document), (key, value: unknown) => (key === '$ref' && typeof value === 'string' ? rename(value) : value)) as OpenApiDocument;
  const components = Object.fromEntries(
    Object.entries(rewritten.components ?? {}).map(([kind, entries]) => [
      kind,
      kind === 'securitySchemes' ? entries : Object.fromEntries(Object.entries(entries ?? {}).map(([name, value]) => [`${prefix}${name}`, value])),
    ]),
  );
  return { ...rewritten, components, paths: rewritten.paths ?? {} };
}
