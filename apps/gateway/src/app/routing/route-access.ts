import type { RouteMatch } from './route-table';

/**
 * True when a request needs no user token at the edge: its method and its path below the route prefix
 * match one of the route's `public` entries (`"POST /login"`, `"GET /products/*"`; `*` is exactly one
 * path segment, HEAD counts as GET, the query string is ignored). Anything else, including every request
 * to a route without `public` entries, needs a valid user token.
 */
export function isPublicRequest(match: RouteMatch, method: string): boolean {
  const verb = method.toUpperCase() === 'HEAD' ? 'GET' : method.toUpperCase();
  return (match.route.public ?? []).some((entry) => {
    const [entryMethod, pattern] = entry.split(' ');
    return entryMethod === verb && pattern !== undefined && pathMatches(pattern, match.localPath);
  });
}

function pathMatches(pattern: string, path: string): boolean {
  const wanted = pattern.split('/');
  const actual = path.split('/');
  return wanted.length === actual.length && wanted.every((segment, i) => (segment === '*' ? actual[i] !== '' : segment === actual[i]));
}
