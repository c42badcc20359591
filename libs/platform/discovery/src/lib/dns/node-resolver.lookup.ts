import { Resolver } from 'node:dns/promises';
import type { DnsLookup } from './dns-lookup';
import type { SrvAnswer } from './dns-records';

/** Where and how patiently {@link NodeResolverLookup} asks. */
export interface ResolverOptions {
  /** `host` or `host:port` of DNS servers; default the system's (`/etc/resolv.conf`). */
  readonly servers?: readonly string[];
  /** Time one try of one query may take. */
  readonly timeoutMs: number;
  /** Tries per server before the query fails. */
  readonly tries: number;
}

/** A {@link DnsLookup} over a private `node:dns` `Resolver`, so its servers do not change the process's. */
export class NodeResolverLookup implements DnsLookup {
  private readonly resolver: Resolver;

  constructor(options: ResolverOptions) {
    this.resolver = new Resolver({ timeout: options.timeoutMs, tries: options.tries });
    if (options.servers?.length) this.resolver.setServers([...options.servers]);
  }

  async srv(name: string): Promise<SrvAnswer[]> {
    const answers = await this.resolver.resolveSrv(name);
    return answers.map(({ name: target, port, priority, weight }) => ({ name: target, port, priority, weight }));
  }

  addresses(name: string, family: 4 | 6): Promise<string[]> {
    return family === 4 ? this.resolver.resolve4(name) : this.resolver.resolve6(name);
  }

  cancel(): void {
    this.resolver.cancel();
  }
}
