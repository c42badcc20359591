import { type DynamicModule, type InjectionToken, Module, type ModuleMetadata, type Provider } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { type AuthModuleOptions, type AuthParts, authParts } from './auth-module.options';
import { AuthGuard } from './auth.guard';
import { MESSAGE_IDENTITY_VERIFIER, REQUEST_AUTHENTICATOR, TOKEN_VERIFIER } from './auth.tokens';

export type { AuthModuleOptions, CallerPolicyOptions } from './auth-module.options';

/** Options for {@link AuthModule.forRootAsync}, typically reading the JWKS URL from `CONFIG`. */
export interface AuthModuleAsyncOptions {
  imports?: ModuleMetadata['imports'];
  inject?: InjectionToken[];
  useFactory: (...deps: never[]) => AuthModuleOptions | Promise<AuthModuleOptions>;
}

const AUTH_PARTS = Symbol('nestkit.auth.parts');

/**
 * Provides {@link TOKEN_VERIFIER}, the request authenticator and (when on) the message-identity verifier,
 * and registers {@link AuthGuard} as a global guard, so every route is authenticated unless marked
 * `@Public()` or `@Anonymous()`: forgetting a decorator fails closed, not open.
 */
@Module({})
export class AuthModule {
  /** Configures auth from static options. */
  static forRoot(options: AuthModuleOptions): DynamicModule {
    return AuthModule.withParts({ provide: AUTH_PARTS, useValue: authParts(options) });
  }

  /** Configures auth from injected dependencies, e.g. `inject: [CONFIG]`. */
  static forRootAsync(options: AuthModuleAsyncOptions): DynamicModule {
    const factory = options.useFactory as (...deps: unknown[]) => AuthModuleOptions | Promise<AuthModuleOptions>;
    return {
      ...AuthModule.withParts({ provide: AUTH_PARTS, inject: options.inject ?? [], useFactory: async (...deps: unknown[]) => authParts(await factory(...deps)) }),
      imports: options.imports ?? [],
    };
  }

  private static withParts(partsProvider: Provider): DynamicModule {
    return {
      module: AuthModule,
      global: true,
      providers: [
        partsProvider,
        { provide: TOKEN_VERIFIER, inject: [AUTH_PARTS], useFactory: (parts: AuthParts) => parts.verifier },
        { provide: REQUEST_AUTHENTICATOR, inject: [AUTH_PARTS], useFactory: (parts: AuthParts) => parts.authenticator },
        { provide: MESSAGE_IDENTITY_VERIFIER, inject: [AUTH_PARTS], useFactory: (parts: AuthParts) => parts.messageVerifier ?? null },
        { provide: APP_GUARD, useClass: AuthGuard },
      ],
      exports: [TOKEN_VERIFIER, REQUEST_AUTHENTICATOR, MESSAGE_IDENTITY_VERIFIER],
    };
  }
}
