import { type DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ConfigModule } from '@nestkit/config';
import { DatabaseModule, DatabaseReadiness } from '@nestkit/database';
import { DiscoveryModule, discoveryOptions, RegistryReadiness } from '@nestkit/discovery';
import { HealthModule } from '@nestkit/health';
import { LoggingModule } from '@nestkit/logging';
import { type IdentityConfig, identityConfigSchema } from './identity.config';
import { IDENTITY_SCHEMA } from './identity.schema';
import { RefreshTokenEntity } from './tokens/refresh-token.entity';
import { RefreshTokens } from './tokens/refresh-tokens';
import { SigningKeys } from './tokens/signing-keys';
import { IdentityHttpController } from './users/identity.http.controller';
import { UserEntity } from './users/user.entity';
import { UsersService } from './users/users.service';

/** The identity service: accounts, login, and the JWKS that other services verify tokens against. */
@Module({})
export class AppModule {
  static forRoot(config: IdentityConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot({ service: 'identity', schema: identityConfigSchema, values: config }),
        LoggingModule.forRoot({ service: 'identity', level: config.LOG_LEVEL }),
        DatabaseModule.forRoot({ url: config.DATABASE_URL, ...IDENTITY_SCHEMA }),
        TypeOrmModule.forFeature([UserEntity, RefreshTokenEntity]),
        DiscoveryModule.forRoot(discoveryOptions('identity', config)),
        HealthModule.forRoot({ indicators: [DatabaseReadiness, RegistryReadiness] }),
      ],
      controllers: [IdentityHttpController],
      providers: [SigningKeys, RefreshTokens, UsersService],
    };
  }
}
