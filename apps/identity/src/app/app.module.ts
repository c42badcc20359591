import { type DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule, callerPolicyOptions, JwtTokenVerifier } from '@nestkit/auth';
import { CONFIG, ConfigModule } from '@nestkit/config';
import { DatabaseModule, DatabaseReadiness } from '@nestkit/database';
import { DiscoveryModule, discoveryOptions, RegistryReadiness } from '@nestkit/discovery';
import { HealthModule } from '@nestkit/health';
import { LoggingModule } from '@nestkit/logging';
import type { DestinationStream } from 'pino';
import { OAuthTokenHttpController } from './clients/oauth-token.http.controller';
import { ServiceClients } from './clients/service-clients';
import { type Clock, ClockModule } from './clock';
import { Housekeeping } from './housekeeping';
import { type IdentityConfig, identityConfigSchema } from './identity.config';
import { IDENTITY_SCHEMA } from './identity.schema';
import { KeysModule } from './keys/keys.module';
import { SigningKeys } from './keys/signing-keys';
import { LoginThrottle } from './login/login-throttle';
import { LoginThrottleEntity } from './login/login-throttle.entity';
import { RefreshTokenEntity } from './tokens/refresh-token.entity';
import { RefreshTokens } from './tokens/refresh-tokens';
import { BootstrapAdmin } from './users/bootstrap-admin';
import { IdentityHttpController } from './users/identity.http.controller';
import { PasswordHasher } from './users/password-hasher';
import { SessionsService } from './users/sessions.service';
import { UserEntity } from './users/user.entity';
import { UserRolesService } from './users/user-roles.service';
import { UsersAdminController } from './users/users.admin.controller';
import { UsersService } from './users/users.service';

/** What tests swap: the clock, and where log lines go. */
export interface AppModuleOverrides {
  clock?: Clock;
  logDestination?: DestinationStream;
}

/** The identity service: accounts, sessions, roles, service clients, and the rotating keys other services verify tokens with. */
@Module({})
export class AppModule {
  static forRoot(config: IdentityConfig, overrides: AppModuleOverrides = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot({ service: 'identity', schema: identityConfigSchema, values: config }),
        ClockModule.forRoot(overrides.clock),
        LoggingModule.forRoot({ service: 'identity', level: config.LOG_LEVEL, ...(overrides.logDestination ? { destination: overrides.logDestination } : {}) }),
        DatabaseModule.forRoot({ url: config.DATABASE_URL, ...IDENTITY_SCHEMA }),
        TypeOrmModule.forFeature([UserEntity, RefreshTokenEntity, LoginThrottleEntity]),
        KeysModule,
        // identity verifies the tokens it issued with its own keys, as they rotate: no JWKS fetch.
        AuthModule.forRootAsync({
          imports: [KeysModule],
          inject: [SigningKeys, CONFIG],
          useFactory: (keys: SigningKeys, cfg: IdentityConfig) => ({
            verifier: JwtTokenVerifier.fromKeyProvider(() => keys.jwks(), { issuer: cfg.AUTH_ISSUER, audience: cfg.AUTH_AUDIENCE }),
            ...callerPolicyOptions(cfg),
          }),
        }),
        DiscoveryModule.forRoot(discoveryOptions('identity', config)),
        HealthModule.forRoot({ indicators: [DatabaseReadiness, RegistryReadiness] }),
      ],
      controllers: [IdentityHttpController, OAuthTokenHttpController, UsersAdminController],
      providers: [PasswordHasher, RefreshTokens, LoginThrottle, UsersService, SessionsService, UserRolesService, BootstrapAdmin, ServiceClients, Housekeeping],
    };
  }
}
