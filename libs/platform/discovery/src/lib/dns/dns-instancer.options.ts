import type { RegistryStatus } from '../registry-status';
import type { AppError } from '@nestkit/errors';
import type { DnsLookup } from './dns-lookup';

/** How {@link DnsInstancer} finds a service's instances in DNS. */
export interface DnsInstancerOptions {
  /** `srv` (default; the port comes from DNS) or `a`/`aaaa` with a fixed `port`. */
  readonly record?: 'srv' | 'a' | 'aaaa';
  /** Name template with `{service}`; default Kubernetes' for `record` in namespace `default`. */
  readonly name?: string;
  /** The port every instance listens on; required with `a`/`aaaa`. */
  readonly port?: number;
  /** Resolve SRV targets to IPv4 addresses with the same servers (default true); false keeps the names. */
  readonly resolveTargets?: boolean;
  /** `host` or `host:port` of the DNS servers; default the system's. */
  readonly servers?: readonly string[];
  /** Time one try of one query may take (default 1000 ms). */
  readonly timeoutMs?: number;
  /** Tries per query and server (default 2). */
  readonly tries?: number;
  /** Time between two lookups of a service (default 5000 ms): DNS has no watch. */
  readonly refreshMs?: number;
  /** Hears failed lookups and skipped records, once each time a service's problems change. */
  readonly onError?: (error: AppError, service: string) => void;
  /** Called when the instancer turns degraded or connected, or its last error changes, e.g. to log it. */
  readonly onStatusChange?: (status: DnsInstancerStatus) => void;
  /** Replaces the `node:dns` resolver (tests). */
  readonly lookup?: DnsLookup;
}

/**
 * Whether every tracked service's last lookup succeeded; failing ones keep serving their last list.
 * A {@link RegistryStatus} plus which services fail.
 */
export interface DnsInstancerStatus extends RegistryStatus {
  /** Service name → why its last lookup failed. */
  readonly failing: Readonly<Record<string, string>>;
}
