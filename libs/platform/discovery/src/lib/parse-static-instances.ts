import type { ServiceInstance } from './service-instance';

/** An entry of a static instance list that was skipped, and why. */
export interface RejectedEntry {
  readonly entry: string;
  readonly reason: string;
}

/** What {@link parseStaticInstances} found: the usable instances and the entries it skipped. */
export interface StaticInstances {
  readonly instances: ServiceInstance[];
  readonly rejected: RejectedEntry[];
}

const ADDRESS = /^(?:\[([0-9a-fA-F:.]+)\]|([^\s:[\]]+)):(\d{1,5})$/;

/**
 * Parses `catalog=127.0.0.1:4002,127.0.0.1:4012;orders=127.0.0.1:4003` into instances. Malformed
 * entries are skipped and listed in `rejected`; it never throws, so one typo does not hide the
 * rest of the list. Instance ids are `service@host:port`.
 */
export function parseStaticInstances(spec: string): StaticInstances {
  const instances: ServiceInstance[] = [];
  const rejected: RejectedEntry[] = [];
  for (const group of spec.split(';').map((g) => g.trim()).filter(Boolean)) {
    const eq = group.indexOf('=');
    const service = eq > 0 ? group.slice(0, eq).trim() : '';
    if (!/^[a-z0-9][a-z0-9._-]*$/i.test(service)) {
      rejected.push({ entry: group, reason: 'expected service=host:port[,host:port...]' });
      continue;
    }
    for (const address of group.slice(eq + 1).split(',').map((a) => a.trim()).filter(Boolean)) {
      const parsed = parseAddress(service, address);
      if (typeof parsed === 'string') rejected.push({ entry: `${service}=${address}`, reason: parsed });
      else if (instances.some((i) => i.id === parsed.id)) rejected.push({ entry: `${service}=${address}`, reason: 'duplicate' });
      else instances.push(parsed);
    }
  }
  return { instances, rejected };
}

function parseAddress(service: string, address: string): ServiceInstance | string {
  const match = ADDRESS.exec(address);
  if (!match) return 'expected host:port';
  const host = match[1] ?? match[2];
  const port = Number(match[3]);
  if (port < 1 || port > 65_535) return 'port must be between 1 and 65535';
  const id = `${service}@${match[1] ? `[${host}]` : host}:${port}`;
  return { id, service, host, port, version: 'unknown', metadata: {}, status: 'up' };
}
