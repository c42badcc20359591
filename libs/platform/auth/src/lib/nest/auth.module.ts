import { type DynamicModule, type InjectionToken, Module, type ModuleMetadata } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import type { TokenVerifier } from '../token-verifier';
import type { JwksUrlVerifierOptions } from '../verification/jwt-verifier.options';
import { JwtTokenVerifier } from '../verification/jwt.token-verifier';
import { AuthGuard } from './auth.guard';
import { TOKEN_VERIFIER } from './auth.tokens';

/** Either a ready verifier (tests, custom schemes) or the JWKS settings to build the default one. */
export type AuthModuleOptions = { verifier: TokenVerifier } | JwksUrlVerifierOptions;

/** Options for {@link AuthModule.forRootAsync}, typically reading the JWKS URL from `CONFIG`. */
export interface AuthModuleAsyncOptions {
  imports?: ModuleMetadata['imports'];
  inject?: InjectionToken[];
  useFactory: (...deps: never[]) => AuthModuleOptions | Promise<AuthModuleOptions>;
}

function verifierFrom(options: AuthModuleOptions): TokenVerifier {
  return 'verifier' in options ? options.verifier : JwtTokenVerifier.fromJwksUrl(options);
}

/**
 * Provides {@link TOKEN_VERIFIER} and registers {@link AuthGuard} as a global guard, so every route is
 * authenticated unless marked `@Public()`: forgetting a decorator fails closed, not open.
 */
@Module({})
export class AuthModule {
  /** Configures auth from static options. */
  static forRoot(options: AuthModuleOptions): DynamicModule {
    return AuthModule.withVerifier({ provide: TOKEN_VERIFIER, useValue: verifierFrom(options) });
  }

  /** Configures auth from injected dependencies, e.g. `inject: [CONFIG]`. */
  static forRootAsync(options: AuthModuleAsyncOptions): DynamicModule {
    const factory = options.useFactory as (...deps: unknown[]) => AuthModuleOptions | Promise<AuthModuleOptions>;
    return {
      ...AuthModule.withVerifier({
        provide: TOKEN_VERIFIER,
        inject: options.inject ?? [],
        useFactory: async (...deps: unknown[]) => verifierFrom(await factory(...deps)),
      }),
      imports: options.imports ?? [],
    };
  }

  private static withVerifier(verifierProvider: NonNullable<ModuleMetadata['providers']>[number]): DynamicModule {
    return {
      module: AuthModule,
      global: true,
      providers: [verifierProvider, { provide: APP_GUARD, useClass: AuthGuard }],
      exports: [TOKEN_VERIFIER],
    };
  }
}
