import { existsSync, readFileSync, type FSWatcher, watch } from 'node:fs';
import { basename, dirname } from 'node:path';
import { announcedRoutesOf, type ServiceDirectory, type ServiceInstance } from '@nestkit/discovery';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { announcedRouteSchema, type RouteSpec, routesFileSchema } from './route.schema';
import type { RejectedRoute, RouteOrigin } from './route-table';

/** Thrown for a routes file that cannot be read, parsed or validated; the message names the file and every problem. */
export class RoutesFileError extends Error {
  override readonly name = 'RoutesFileError';
}

/** Reads and validates the routes file at `path`. */
export function readRoutesFile(path: string): RouteSpec[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new RoutesFileError(`routes file ${path}: cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); set GATEWAY_ROUTES_FILE to an existing file`);
  }
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (error) {
    throw new RoutesFileError(`routes file ${path}: not valid YAML: ${(error as Error).message}`);
  }
  const parsed = routesFileSchema.safeParse(data ?? { routes: [] });
  if (!parsed.success) throw new RoutesFileError(`routes file ${path}: ${describeIssues(parsed.error)}`);
  return parsed.data.routes;
}

/** `routes.2.rewrite.stripPrefix: "/x" is not a prefix ...; routes.4.path: ...`. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
}

/**
 * Watches the routes file (by its folder, so editors that save by rename and Kubernetes ConfigMaps that
 * swap a symlink are both seen) and calls `changed` once per burst of events.
 */
export function watchRoutesFile(path: string, changed: () => void, debounceMs = 100): () => void {
  const name = basename(path);
  let timer: NodeJS.Timeout | undefined;
  let watcher: FSWatcher | undefined;
  try {
    watcher = watch(dirname(path), { persistent: false }, (_event, file) => {
      if (file !== null && file !== name && !file.startsWith('..')) return;
      clearTimeout(timer);
      timer = setTimeout(changed, debounceMs);
    });
  } catch {
    return () => undefined;
  }
  return () => {
    clearTimeout(timer);
    watcher?.close();
  };
}

/** Whether the routes file exists (an absent default file means: routes from the services only). */
export function routesFileExists(path: string): boolean {
  return existsSync(path);
}

/**
 * The routes services announce in their registrations, validated: only instances that are up count;
 * a service may only announce paths under `/api/<service>` (so no service can take another's paths or
 * the gateway's own); identical announcements from several instances count once. Services are taken
 * in name order, so conflicts between them resolve the same way on every gateway.
 */
export function announcedRoutes(directory: ServiceDirectory): { entries: { spec: RouteSpec; origin: RouteOrigin }[]; rejected: RejectedRoute[]; signature: string } {
  const byService = new Map<string, Map<string, unknown>>();
  const rejected: RejectedRoute[] = [];
  const up = directory.all().filter((instance) => instance.status === 'up');
  for (const instance of [...up].sort(byNewestVersion)) {
    let raw: unknown[];
    try {
      raw = announcedRoutesOf(instance);
    } catch (error) {
      rejected.push({ origin: `service:${instance.service}`, path: '(metadata)', reason: (error as Error).message });
      continue;
    }
    const routes = byService.get(instance.service) ?? new Map<string, unknown>();
    byService.set(instance.service, routes);
    for (const route of raw) routes.set(JSON.stringify(route), route);
  }
  const entries: { spec: RouteSpec; origin: RouteOrigin }[] = [];
  for (const service of [...byService.keys()].sort()) {
    const origin: RouteOrigin = `service:${service}`;
    const own = `/api/${service}`;
    for (const raw of (byService.get(service) as Map<string, unknown>).values()) {
      const parsed = announcedRouteSchema.safeParse(raw);
      const path = typeof (raw as { path?: unknown })?.path === 'string' ? (raw as { path: string }).path : '(no path)';
      if (!parsed.success) {
        rejected.push({ origin, path, reason: describeIssues(parsed.error) });
        continue;
      }
      if (!(parsed.data.path === own || parsed.data.path.startsWith(`${own}/`))) {
        rejected.push({ origin, path, reason: `a service may only announce routes under ${own}` });
        continue;
      }
      entries.push({ spec: { ...parsed.data, service }, origin });
    }
  }
  return { entries, rejected, signature: JSON.stringify(entries) };
}

/** Newest version first (numeric-aware), so during a rolling upgrade the new announcement is seen first. */
function byNewestVersion(a: ServiceInstance, b: ServiceInstance): number {
  return b.version.localeCompare(a.version, 'en', { numeric: true }) || a.id.localeCompare(b.id);
}
