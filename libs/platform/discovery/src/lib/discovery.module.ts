import { type DynamicModule, Inject, Injectable, Module, type OnApplicationShutdown, Optional, type Provider } from '@nestjs/common';
import { backendProviders, DISCOVERY_BACKEND, type DiscoveryBackendOptions } from './discovery.backends';
import { SELF_REGISTRATION } from './discovery.tokens';
import { RegistryReadiness } from './registry.readiness';
import { type SelfRegistration, ServiceRegistration } from './service.registration';

/** Options of {@link DiscoveryModule.forRoot}: a backend, and optionally this process to register. */
export type DiscoveryOptions = DiscoveryBackendOptions & {
  /** When set, provides {@link ServiceRegistration} so this process publishes itself. */
  readonly self?: SelfRegistration;
};

/** Closes the backend (watch streams, lease keepalives, DNS timers) after this instance deregistered. */
@Injectable()
class BackendCloser implements OnApplicationShutdown {
  constructor(
    @Inject(DISCOVERY_BACKEND) private readonly backend: { close?: () => unknown },
    @Optional() private readonly registration?: ServiceRegistration,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.registration?.onApplicationShutdown();
    await this.backend.close?.();
  }
}

/**
 * Provides a {@link Registrar} under `REGISTRAR` and an {@link Instancer} under `INSTANCER` for the
 * backend in the options (`memory`, `static`, `etcd`, `dns`), optionally the
 * {@link ServiceRegistration} of this process, and {@link RegistryReadiness} for `/health/ready`. Global.
 */
@Module({})
export class DiscoveryModule {
  /** Builds the module for the chosen backend; see {@link DiscoveryOptions}. */
  static forRoot(options: DiscoveryOptions): DynamicModule {
    const providers: Provider[] = [...backendProviders(options), BackendCloser, RegistryReadiness];
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
