import { Logger, type Provider } from '@nestjs/common';
import { INSTANCER, REGISTRAR } from './discovery.tokens';
import { DnsInstancer } from './dns/dns.instancer';
import type { DnsInstancerOptions } from './dns/dns-instancer.options';
import { EtcdRegistry } from './etcd/etcd.registry';
import { embeddedRegistry } from './hub/embedded-registry';
import type { InMemoryRegistry } from './in-memory.registry';
import { NoopRegistrar } from './noop.registrar';
import { StaticInstancer } from './static.instancer';

/** Injection token of the backend object itself, for lifecycle (close) and status. */
export const DISCOVERY_BACKEND = Symbol.for('nestkit.discovery.backend');

/** Where instances are published and found. */
export type DiscoveryBackendOptions =
  | { readonly backend: 'memory'; readonly registry?: InMemoryRegistry }
  | { readonly backend: 'static'; readonly static?: string }
  | { readonly backend: 'etcd'; readonly etcd: { readonly url: string; readonly prefix?: string } }
  | { readonly backend: 'dns'; readonly dns: DnsInstancerOptions };

const logger = new Logger('Discovery');

async function createBackend(options: DiscoveryBackendOptions): Promise<object> {
  switch (options.backend) {
    case 'static':
      return StaticInstancer.fromSpec(options.static ?? '', (r) => logger.warn(`Skipped static instance "${r.entry}": ${r.reason}`));
    case 'etcd': {
      const registry = new EtcdRegistry({
        url: options.etcd.url,
        prefix: options.etcd.prefix,
        onMalformed: (entry) => logger.warn(`Skipped malformed registry entry ${entry.key}: ${entry.reason}`),
        onStatusChange: (status) => logger.warn(`etcd registry ${status.state}${status.lastError ? `: ${status.lastError}` : ''}`),
      });
      await registry.start();
      return registry;
    }
    case 'dns':
      return new DnsInstancer({
        ...options.dns,
        onError: (error, service) => logger.warn(`DNS discovery of ${service}: ${error.message}`),
      });
    case 'memory':
      return options.registry ?? embeddedRegistry();
  }
}

/** The providers of `REGISTRAR`, `INSTANCER` and the backend for the chosen backend. */
export function backendProviders(options: DiscoveryBackendOptions): Provider[] {
  // Backends that only read (static list, DNS) get a registrar that does nothing: the platform
  // (Kubernetes, the deploy tool) publishes the instances.
  const readOnly = options.backend === 'static' || options.backend === 'dns';
  return [
    { provide: DISCOVERY_BACKEND, useFactory: () => createBackend(options) },
    { provide: INSTANCER, useExisting: DISCOVERY_BACKEND },
    readOnly ? { provide: REGISTRAR, useValue: new NoopRegistrar() } : { provide: REGISTRAR, useExisting: DISCOVERY_BACKEND },
  ];
}
