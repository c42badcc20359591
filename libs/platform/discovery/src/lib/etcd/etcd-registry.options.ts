import type { ReconnectBackoffOptions } from '@nestkit/resilience';
import type { RegistryStatus } from '../registry-status';

/** A registry entry that was skipped because it could not be read as an instance. */
export interface MalformedEntry {
  readonly key: string;
  readonly reason: string;
}

/** Options of {@link EtcdRegistry}; only `url` is required. */
export interface EtcdRegistryOptions {
  /** Client URL of an etcd v3 member, e.g. `http://127.0.0.1:2379`. */
  readonly url: string;
  /** Where instances live, as `<prefix><service>/<id>`. Defaults to `/nestkit/services/`. */
  readonly prefix?: string;
  /** Lease length when `register` is not given `ttlMs`. Defaults to 10 s. */
  readonly defaultTtlMs?: number;
  /** Budget of every HTTP call (and of opening the watch). Defaults to 3 s. */
  readonly requestTimeoutMs?: number;
  /** How often the watcher pings etcd to notice a silently dead stream. Defaults to 5 s. */
  readonly probeIntervalMs?: number;
  /** Delay between watch reconnection attempts. Defaults to 200 ms doubling up to 5 s. */
  readonly reconnect?: Partial<ReconnectBackoffOptions>;
  /** Called for each entry skipped as malformed. Defaults to a process warning. */
  readonly onMalformed?: (entry: MalformedEntry) => void;
  /** Called when the registry turns degraded or connected, e.g. to log it. */
  readonly onStatusChange?: (status: RegistryStatus) => void;
  /** Replaces global `fetch`, e.g. to route through a proxy or to simulate an outage in tests. */
  readonly fetch?: typeof fetch;
}

export type ResolvedEtcdRegistryOptions = Required<Omit<EtcdRegistryOptions, 'fetch' | 'reconnect'>> & {
  readonly fetch?: typeof fetch;
  readonly reconnect: ReconnectBackoffOptions;
};

/** The default key prefix of {@link EtcdRegistry}. */
export const DEFAULT_ETCD_PREFIX = '/nestkit/services/';

/** Fills in the defaults and normalises the prefix to end with `/`. */
export function resolveEtcdRegistryOptions(options: EtcdRegistryOptions): ResolvedEtcdRegistryOptions {
  const prefix = options.prefix ?? DEFAULT_ETCD_PREFIX;
  return {
    url: options.url,
    prefix: prefix.endsWith('/') ? prefix : `${prefix}/`,
    defaultTtlMs: options.defaultTtlMs ?? 10_000,
    requestTimeoutMs: options.requestTimeoutMs ?? 3_000,
    probeIntervalMs: options.probeIntervalMs ?? 5_000,
    reconnect: { initialMs: options.reconnect?.initialMs ?? 200, maxMs: options.reconnect?.maxMs ?? 5_000 },
    onMalformed: options.onMalformed ?? warnMalformed,
    onStatusChange: options.onStatusChange ?? (() => undefined),
    fetch: options.fetch,
  };
}

function warnMalformed(entry: MalformedEntry): void {
  process.emitWarning(`Skipped malformed registry entry ${entry.key}: ${entry.reason}`, 'DiscoveryMalformedEntry');
}
