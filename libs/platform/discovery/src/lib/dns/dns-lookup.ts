import type { SrvAnswer } from './dns-records';

/** The DNS queries the DNS instancer needs; {@link NodeResolverLookup} is the real one, tests pass fakes. */
export interface DnsLookup {
  /** The SRV answers for `name`; rejects with the resolver's error (`ENOTFOUND`, `ETIMEOUT`...). */
  srv(name: string): Promise<SrvAnswer[]>;
  /** The IPv4 (`4`) or IPv6 (`6`) addresses of `name`. */
  addresses(name: string, family: 4 | 6): Promise<string[]>;
  /** Aborts the queries in flight; they reject. */
  cancel(): void;
}
