import { type DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule, MessageIdentityStamper, ServiceTokenProvider, serviceTokenProviderOptions, verifierOptions } from '@nestkit/auth';
import { ConfigModule } from '@nestkit/config';
import { DatabaseModule, DatabaseReadiness } from '@nestkit/database';
import { DiscoveryModule, discoveryOptions, RegistryReadiness } from '@nestkit/discovery';
import { HealthModule } from '@nestkit/health';
import { LoggingModule } from '@nestkit/logging';
import { MessagingHousekeeping, MessagingModule, messagingOptions, MessagingReadiness, OutboxRelayService, RETENTION_TASKS } from '@nestkit/messaging';
import { type CatalogConfig, catalogConfigSchema } from './catalog.config';
import { CATALOG_SCHEMA } from './catalog.schema';
import { ProductEntity } from './products/product.entity';
import { ProductsHttpController } from './products/products.http.controller';
import { ProductsService } from './products/products.service';
import { StockReleaseHandler } from './stock/stock-release.handler';
import { STOCK_RESERVATION_RETENTION } from './stock/stock-reservation.entity';
import { StockReservationHandler } from './stock/stock-reservation.handler';

/** The catalog service: the product list, and stock reservation for orders over the bus (its answers signed as catalog). */
@Module({})
export class AppModule {
  static forRoot(config: CatalogConfig): DynamicModule {
    // Built here, so a missing AUTH_CLIENT_SECRET stops the boot with a ConfigError naming it.
    const signer = new MessageIdentityStamper(new ServiceTokenProvider(serviceTokenProviderOptions(config)), config.AUTH_MESSAGE_AUDIENCE);
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot({ service: 'catalog', schema: catalogConfigSchema, values: config }),
        LoggingModule.forRoot({ service: 'catalog', level: config.LOG_LEVEL }),
        DatabaseModule.forRoot({ url: config.DATABASE_URL, ...CATALOG_SCHEMA }),
        TypeOrmModule.forFeature([ProductEntity]),
        DiscoveryModule.forRoot(discoveryOptions('catalog', config)),
        MessagingModule.forRoot({ ...messagingOptions('catalog', config), signer }),
        AuthModule.forRoot(verifierOptions(config)),
        HealthModule.forRoot({ indicators: [DatabaseReadiness, RegistryReadiness, MessagingReadiness] }),
      ],
      controllers: [ProductsHttpController],
      providers: [
        ProductsService,
        StockReservationHandler,
        StockReleaseHandler,
        OutboxRelayService,
        MessagingHousekeeping,
        { provide: RETENTION_TASKS, useValue: [STOCK_RESERVATION_RETENTION] },
      ],
    };
  }
}
