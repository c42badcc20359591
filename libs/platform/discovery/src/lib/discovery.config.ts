import { z } from 'zod';
import type { DiscoveryOptions } from './discovery.module';
import { kubernetesNameTemplate } from './dns/dns-name';

const hostPortList = z
  .string()
  .default('')
  .transform((value) => value.split(',').map((s) => s.trim()).filter(Boolean))
  .refine((servers) => servers.every((s) => /^[\w.-]+(:\d{1,5})?$/.test(s)), { message: 'expected host or host:port, comma-separated' });

/** The config keys of discovery, shared by every service: extend a service's schema with its `shape`. */
export const discoveryConfigSchema = z.object({
  /** `memory` (embedded; the launcher's registry under `npm start`), `static`, `etcd` or `dns`. */
  REGISTRY: z.enum(['memory', 'static', 'etcd', 'dns']).default('memory'),
  /** With REGISTRY=static: `catalog=10.0.0.5:4002,10.0.0.6:4002;orders=10.0.0.7:4003`. */
  STATIC_INSTANCES: z.string().default(''),
  /** With REGISTRY=etcd: a client URL of an etcd v3 member. */
  ETCD_URL: z.url().default('http://127.0.0.1:2379'),
  ETCD_PREFIX: z.string().startsWith('/').default('/nestkit/services/'),
  /** With REGISTRY=etcd: an instance that stops renewing (kill -9) disappears after this long. */
  REGISTRATION_TTL_MS: z.coerce.number().int().min(2_000).max(300_000).default(10_000),
  /** With REGISTRY=dns: the name to query, `{service}` replaced; default a Kubernetes headless service's SRV name. */
  DNS_NAME: z.string().includes('{service}').default(kubernetesNameTemplate({ record: 'srv' })),
  DNS_RECORD: z.enum(['srv', 'a', 'aaaa']).default('srv'),
  /** With DNS_RECORD=a|aaaa: the port every instance listens on. */
  DNS_PORT: z.coerce.number().int().min(1).max(65_535).optional(),
  /** DNS servers (`host` or `host:port`, comma-separated); default the system's. */
  DNS_SERVERS: hostPortList,
  DNS_REFRESH_MS: z.coerce.number().int().min(500).max(300_000).default(5_000),
  SERVICE_VERSION: z.string().min(1).default('0.1.0'),
  ZONE: z.string().min(1).default('local'),
});

export type DiscoveryConfig = z.infer<typeof discoveryConfigSchema>;

/**
 * `DiscoveryModule.forRoot` options for `service` from its config: the backend, and itself to register,
 * with `extra.metadata` in its registration (e.g. `announceRoutes(...)` for the gateway).
 */
export function discoveryOptions(service: string, config: DiscoveryConfig, extra: { metadata?: Record<string, string> } = {}): DiscoveryOptions {
  const self = { service, version: config.SERVICE_VERSION, zone: config.ZONE, ...(extra.metadata ? { metadata: extra.metadata } : {}) };
  switch (config.REGISTRY) {
    case 'static':
      return { backend: 'static', static: config.STATIC_INSTANCES, self };
    case 'etcd':
      return { backend: 'etcd', etcd: { url: config.ETCD_URL, prefix: config.ETCD_PREFIX }, self: { ...self, ttlMs: config.REGISTRATION_TTL_MS } };
    case 'dns':
      return {
        backend: 'dns',
        dns: { name: config.DNS_NAME, record: config.DNS_RECORD, port: config.DNS_PORT, servers: config.DNS_SERVERS, refreshMs: config.DNS_REFRESH_MS },
        self,
      };
    case 'memory':
      return { backend: 'memory', self };
  }
}
