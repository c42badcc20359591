import { z } from 'zod';
import type { DiscoveryOptions } from './discovery.module';

/** The config keys of discovery, shared by every service: extend a service's schema with its `shape`. */
export const discoveryConfigSchema = z.object({
  /** `memory` (embedded; the launcher's registry under `npm start`) or `static` (a fixed list). */
  REGISTRY: z.enum(['memory', 'static']).default('memory'),
  /** With REGISTRY=static: `catalog=10.0.0.5:4002,10.0.0.6:4002;orders=10.0.0.7:4003`. */
  STATIC_INSTANCES: z.string().default(''),
  SERVICE_VERSION: z.string().min(1).default('0.1.0'),
  ZONE: z.string().min(1).default('local'),
});

export type DiscoveryConfig = z.infer<typeof discoveryConfigSchema>;

/** `DiscoveryModule.forRoot` options for `service` from its config: the backend, and itself to register. */
export function discoveryOptions(service: string, config: DiscoveryConfig): DiscoveryOptions {
  return {
    backend: config.REGISTRY,
    static: config.STATIC_INSTANCES,
    self: { service, version: config.SERVICE_VERSION, zone: config.ZONE },
  };
}
