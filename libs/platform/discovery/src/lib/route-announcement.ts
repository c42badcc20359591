/**
 * A route a service asks the gateway to expose, announced in its registration's metadata so that a new
 * service is routed without a gateway edit. The gateway validates each one with its route schema (see
 * apps/gateway's README, "Routes") and accepts only paths under `/api/<the announcing service>`; a
 * route in the gateway's own routes file with the same path and method wins over an announced one.
 *
 * Typed loosely on purpose: the schema lives with the gateway, which reports what is wrong with an
 * announced route in its log and keeps routing the rest.
 */
export type AnnouncedRoute = { readonly path: string } & Readonly<Record<string, unknown>>;

/** The registration metadata key that carries a service's announced routes (JSON). */
export const ROUTES_METADATA_KEY = 'routes';

/** Registration metadata announcing `routes`: pass it as `discoveryOptions(service, config, { metadata })`. */
export function announceRoutes(routes: readonly AnnouncedRoute[]): Record<string, string> {
  return { [ROUTES_METADATA_KEY]: JSON.stringify(routes) };
}

/**
 * The routes an instance announced, parsed from its metadata; `[]` when it announced none, a
 * `SyntaxError` naming the instance when the metadata is not a JSON array.
 */
export function announcedRoutesOf(instance: { readonly id: string; readonly metadata: Readonly<Record<string, string>> }): unknown[] {
  const raw = instance.metadata[ROUTES_METADATA_KEY];
  if (raw === undefined || raw === '') return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (error) {
    throw new SyntaxError(`instance "${instance.id}": metadata "${ROUTES_METADATA_KEY}" is not JSON (${(error as Error).message})`);
  }
  if (!Array.isArray(parsed)) throw new SyntaxError(`instance "${instance.id}": metadata "${ROUTES_METADATA_KEY}" must be a JSON array of routes`);
  return parsed;
}
