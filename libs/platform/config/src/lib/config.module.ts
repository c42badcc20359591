import { type DynamicModule, Module } from '@nestjs/common';
import type { ZodType } from 'zod';
import { loadConfig } from './load-config';

/** Injection token of the parsed config object. Inject with `@Inject(CONFIG)`. */
export const CONFIG = Symbol.for('nestkit.config');

/**
 * Validates the environment once at boot against the service's schema and provides the typed
 * result under {@link CONFIG}. A bad value stops the process with a message naming the key.
 */
@Module({})
export class ConfigModule {
  static forRoot<T>(options: { service: string; schema: ZodType<T>; env?: Record<string, string | undefined>; values?: T }): DynamicModule {
    const value = options.values ?? loadConfig(options.service, options.schema, options.env ?? process.env);
    return {
      module: ConfigModule,
      global: true,
      providers: [{ provide: CONFIG, useValue: value }],
      exports: [CONFIG],
    };
  }
}
