import { type DynamicModule, Logger, Module, type Provider } from '@nestjs/common';
import { INSTANCER, REGISTRAR, SELF_REGISTRATION } from './discovery.tokens';
import { embeddedRegistry } from './hub/embedded-registry';
import type { InMemoryRegistry } from './in-memory.registry';

const REGISTRY = Symbol('nestkit.discovery.registry');
import { NoopRegistrar } from './noop.registrar';
import { type SelfRegistration, ServiceRegistration } from './service.registration';
import { StaticInstancer } from './static.instancer';

/** Options of {@link DiscoveryModule.forRoot}. */
export interface DiscoveryOptions {
  /**
   * `memory`: the embedded registry (process-wide, or the launcher's under `npm start`).
   * `static`: a fixed list from `static`.
   */
  readonly backend: 'memory' | 'static';
  /** The static list, `catalog=127.0.0.1:4002,127.0.0.1:4012;orders=127.0.0.1:4003`. */
  readonly static?: string;
  /** Registry for the `memory` backend; defaults to `InMemoryRegistry.shared()`. Tests pass their own. */
  readonly registry?: InMemoryRegistry;
  /** When set, provides {@link ServiceRegistration} so this process publishes itself. */
  readonly self?: SelfRegistration;
}

/**
 * Provides a {@link Registrar} under `REGISTRAR` and an {@link Instancer} under `INSTANCER`, picking the
 * backend from options, and optionally the {@link ServiceRegistration} of this process. Global.
 */
@Module({})
export class DiscoveryModule {
  /** Builds the module for the chosen backend; see {@link DiscoveryOptions}. */
  static forRoot(options: DiscoveryOptions): DynamicModule {
    const providers: Provider[] = backendProviders(options);
    if (options.self) {
      providers.push({ provide: SELF_REGISTRATION, useValue: options.self }, ServiceRegistration);
    }
    return {
      module: DiscoveryModule,
      global: true,
      providers,
      exports: providers.map((p) => (typeof p === 'function' ? p : p.provide)),
    };
  }
}

function backendProviders(options: DiscoveryOptions): Provider[] {
  if (options.backend === 'static') {
    const logger = new Logger('Discovery');
    const instancer = StaticInstancer.fromSpec(options.static ?? '', (r) => logger.warn(`Skipped static instance "${r.entry}": ${r.reason}`));
    return [
      { provide: INSTANCER, useValue: instancer },
      { provide: REGISTRAR, useValue: new NoopRegistrar() },
    ];
  }
  const registry = options.registry ? { provide: REGISTRY, useValue: options.registry } : { provide: REGISTRY, useFactory: () => embeddedRegistry() };
  return [
    registry,
    { provide: INSTANCER, useExisting: REGISTRY },
    { provide: REGISTRAR, useExisting: REGISTRY },
  ];
}
