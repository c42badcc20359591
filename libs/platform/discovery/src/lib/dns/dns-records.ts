import { isIPv6 } from 'node:net';
import type { ServiceInstance } from '../service-instance';

/** One SRV answer as `node:dns` returns it. */
export interface SrvAnswer {
  readonly name: string;
  readonly port: number;
  readonly priority: number;
  readonly weight: number;
}

/** A DNS answer that was skipped, and why. */
export interface RejectedRecord {
  readonly record: string;
  readonly reason: string;
}

/** The SRV answers worth resolving, and the ones that are not. */
export interface CheckedSrv {
  readonly usable: SrvAnswer[];
  readonly rejected: RejectedRecord[];
}

/**
 * Splits SRV answers into usable ones and malformed ones: port outside 1–65535, or an empty target
 * (`.`, which RFC 2782 uses for "the service is decidedly not available here").
 */
export function checkSrvAnswers(name: string, answers: readonly SrvAnswer[]): CheckedSrv {
  const usable: SrvAnswer[] = [];
  const rejected: RejectedRecord[] = [];
  for (const answer of answers) {
    const record = `${name} SRV ${answer.priority} ${answer.weight} ${answer.port} ${answer.name || '.'}`;
    if (!answer.name) rejected.push({ record, reason: 'empty target' });
    else if (!Number.isInteger(answer.port) || answer.port < 1 || answer.port > 65_535) rejected.push({ record, reason: 'port must be between 1 and 65535' });
    else usable.push(answer);
  }
  return { usable, rejected };
}

/**
 * Builds the instance for `host:port` of `service`. The id is `service@host:port` (IPv6 bracketed),
 * as for static lists, so it is stable across lookups. DNS knows no version, zone or draining.
 */
export function dnsInstance(service: string, host: string, port: number, metadata: Record<string, string> = {}): ServiceInstance {
  const id = `${service}@${isIPv6(host) ? `[${host}]` : host}:${port}`;
  return Object.freeze({ id, service, host, port, version: '', metadata: Object.freeze({ ...metadata }), status: 'up' as const });
}

/** The SRV fields a balancer may use (`weight` for weighted picks), as instance metadata. */
export function srvMetadata(answer: SrvAnswer): Record<string, string> {
  return { target: answer.name, priority: String(answer.priority), weight: String(answer.weight) };
}
