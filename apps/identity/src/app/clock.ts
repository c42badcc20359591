import { type DynamicModule, Module } from '@nestjs/common';

/** Source of "now" for everything time-based in identity (key rotation, lockouts, refresh expiry). */
export type Clock = () => Date;

/** Injection token of the {@link Clock}. */
export const CLOCK = Symbol('identity.clock');

/** Provides {@link CLOCK} to the whole app; tests pass a fake clock. */
@Module({})
export class ClockModule {
  static forRoot(clock: Clock = () => new Date()): DynamicModule {
    return { module: ClockModule, global: true, providers: [{ provide: CLOCK, useValue: clock }], exports: [CLOCK] };
  }
}
