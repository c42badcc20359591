import { type DynamicModule, Module, type ModuleMetadata, type Type } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController } from './health.controller';
import { READINESS_INDICATORS } from './health.tokens';
import { LifecycleState } from './lifecycle.state';
import type { ReadinessIndicator } from './readiness-indicator';
import { ReadinessGate } from './readiness.gate';

export interface HealthOptions {
  /** Injectable classes, each checking one dependency for `/health/ready`. */
  indicators?: Type<ReadinessIndicator>[];
  /** Modules the indicators need (e.g. the database module). */
  imports?: ModuleMetadata['imports'];
}

/**
 * Liveness and readiness endpoints on @nestjs/terminus, plus the {@link LifecycleState} that turns
 * readiness off when graceful shutdown starts. Call `app.enableShutdownHooks()` in `main.ts`.
 */
@Module({})
export class HealthModule {
  static forRoot(options: HealthOptions = {}): DynamicModule {
    const indicators = options.indicators ?? [];
    return {
      module: HealthModule,
      global: true,
      imports: [TerminusModule.forRoot({ logger: false }), ...(options.imports ?? [])],
      controllers: [HealthController],
      providers: [
        LifecycleState,
        ReadinessGate,
        ...indicators,
        { provide: READINESS_INDICATORS, useFactory: (...all: ReadinessIndicator[]) => all, inject: indicators },
      ],
      exports: [LifecycleState, ReadinessGate],
    };
  }
}
