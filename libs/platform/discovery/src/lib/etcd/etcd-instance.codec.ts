import type { FieldIssue } from '@nestkit/errors';
import { z } from 'zod';
import type { ServiceInstance } from '../service-instance';

const instanceSchema = z.object({
  id: z.string().min(1),
  service: z.string().min(1).regex(/^[^/]+$/, 'must not contain "/"'),
  host: z.string().min(1),
  port: z.number().int().min(1).max(65_535),
  version: z.string(),
  zone: z.string().optional(),
  metadata: z.record(z.string(), z.string()).default({}),
  status: z.enum(['up', 'draining']),
});

/** The outcome of reading one registry entry: the instance, or why it was skipped. */
export type DecodedEntry = { readonly ok: true; readonly instance: ServiceInstance } | { readonly ok: false; readonly reason: string };

/** Where `instance` lives in etcd: `<prefix><service>/<id>`. `prefix` ends with `/`. */
export function instanceKey(prefix: string, instance: Pick<ServiceInstance, 'service' | 'id'>): string {
  return `${prefix}${instance.service}/${instance.id}`;
}

/** The service and id a key names, or undefined for a key outside the `<prefix><service>/<id>` layout. */
export function parseInstanceKey(prefix: string, key: string): { service: string; id: string } | undefined {
  if (!key.startsWith(prefix)) return undefined;
  const rest = key.slice(prefix.length);
  const slash = rest.indexOf('/');
  if (slash <= 0 || slash === rest.length - 1) return undefined;
  return { service: rest.slice(0, slash), id: rest.slice(slash + 1) };
}

/** The value stored for `instance`: its JSON, fields in a fixed order so equal instances encode equally. */
export function encodeInstance(instance: ServiceInstance): string {
  const { id, service, host, port, version, zone, metadata, status } = instance;
  return JSON.stringify({ id, service, host, port, version, zone, metadata, status });
}

/** What is wrong with `value` as an instance; empty when it is a valid one. */
export function instanceIssues(value: unknown): FieldIssue[] {
  const parsed = instanceSchema.safeParse(value);
  if (parsed.success) return [];
  return parsed.error.issues.map((issue) => ({ path: issue.path.join('.') || 'value', message: issue.message }));
}

/**
 * Reads the instance stored under `key`, or the reason it is unusable: not JSON, failing validation, or
 * naming a service or id other than its key does (which would let one entry shadow another).
 */
export function decodeInstance(prefix: string, key: string, value: string): DecodedEntry {
  let json: unknown;
  try {
    json = JSON.parse(value);
  } catch {
    return { ok: false, reason: 'value is not JSON' };
  }
  const parsed = instanceSchema.safeParse(json);
  if (!parsed.success) {
    return { ok: false, reason: instanceIssues(json).map((issue) => `${issue.path}: ${issue.message}`).join('; ') };
  }
  const { zone, ...rest } = parsed.data;
  const instance: ServiceInstance = zone === undefined ? rest : { ...rest, zone };
  if (instanceKey(prefix, instance) !== key) return { ok: false, reason: 'service/id do not match the key' };
  return { ok: true, instance };
}
