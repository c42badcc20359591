import { isIP } from 'node:net';
import type { ServiceInstance } from '../service-instance';
import type { DnsLookup } from './dns-lookup';
import { checkSrvAnswers, dnsInstance, type RejectedRecord, type SrvAnswer, srvMetadata } from './dns-records';

/** Which records name a service's instances. */
export type DnsQuery =
  /** SRV records carry the port; targets are resolved to IPv4 addresses unless `resolveTargets` is false. */
  | { readonly record: 'srv'; readonly resolveTargets: boolean }
  /** A or AAAA records carry only addresses; every instance listens on the same `port`. */
  | { readonly record: 'a' | 'aaaa'; readonly port: number };

/** What one lookup of a service found: its instances sorted by id, and the answers it skipped. */
export interface DnsResolution {
  readonly instances: readonly ServiceInstance[];
  readonly rejected: readonly RejectedRecord[];
}

/**
 * Looks `service` up under `name` and maps the answers to instances. Rejects when the query itself
 * fails; a malformed answer or a target that does not resolve is skipped and listed in `rejected`.
 */
export async function resolveDnsInstances(lookup: DnsLookup, service: string, name: string, query: DnsQuery): Promise<DnsResolution> {
  if (query.record !== 'srv') {
    const addresses = await lookup.addresses(name, query.record === 'a' ? 4 : 6);
    return { instances: sortedUnique(addresses.map((address) => dnsInstance(service, address, query.port))), rejected: [] };
  }
  const { usable, rejected } = checkSrvAnswers(name, await lookup.srv(name));
  const resolved = await Promise.all(usable.map((answer) => targetInstances(lookup, service, answer, query.resolveTargets)));
  const instances = resolved.flatMap((r) => (Array.isArray(r) ? r : []));
  const unresolved = resolved.filter((r): r is RejectedRecord => !Array.isArray(r));
  return { instances: sortedUnique(instances), rejected: [...rejected, ...unresolved] };
}

async function targetInstances(lookup: DnsLookup, service: string, answer: SrvAnswer, resolveTargets: boolean): Promise<ServiceInstance[] | RejectedRecord> {
  const target = answer.name;
  if (isIP(target) || !resolveTargets) return [dnsInstance(service, target, answer.port, srvMetadata(answer))];
  try {
    const addresses = await lookup.addresses(target, 4);
    return addresses.map((address) => dnsInstance(service, address, answer.port, srvMetadata(answer)));
  } catch (error) {
    return { record: `${target}:${answer.port}`, reason: `target does not resolve (${errorCode(error)})` };
  }
}

/** `ENOTFOUND`, `ETIMEOUT`... for `node:dns` errors, else the message. */
export function errorCode(error: unknown): string {
  if (error instanceof Error) return (error as NodeJS.ErrnoException).code ?? error.message;
  return String(error);
}

// DNS servers rotate answers; sorting keeps an unchanged set from looking like a change.
function sortedUnique(instances: readonly ServiceInstance[]): ServiceInstance[] {
  const byId = new Map(instances.map((i) => [i.id, i]));
  return [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
