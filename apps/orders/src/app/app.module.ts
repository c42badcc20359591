import { type DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '@nestkit/auth';
import { ConfigModule } from '@nestkit/config';
import { DatabaseModule, DatabaseReadiness } from '@nestkit/database';
import { DiscoveryModule } from '@nestkit/discovery';
import { HealthModule } from '@nestkit/health';
import { LoggingModule } from '@nestkit/logging';
import { MessagingModule, OutboxRelayService } from '@nestkit/messaging';
import { type OrdersConfig, ordersConfigSchema } from './orders.config';
import { ORDERS_SCHEMA } from './orders.schema';
import { CatalogClient } from './orders/catalog.client';
import { OrderEntity } from './orders/order.entity';
import { OrdersHttpController } from './orders/orders.http.controller';
import { OrdersService } from './orders/orders.service';
import { OrderSaga } from './saga/order.saga';

/** The orders service: places orders and runs the place-order saga with catalog over the bus. */
@Module({})
export class AppModule {
  static forRoot(config: OrdersConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot({ service: 'orders', schema: ordersConfigSchema, values: config }),
        LoggingModule.forRoot({ service: 'orders', level: config.LOG_LEVEL }),
        DatabaseModule.forRoot({ url: config.DATABASE_URL, ...ORDERS_SCHEMA }),
        TypeOrmModule.forFeature([OrderEntity]),
        DiscoveryModule.forRoot({
          backend: config.REGISTRY,
          static: config.STATIC_INSTANCES,
          self: { service: 'orders', version: config.SERVICE_VERSION, zone: config.ZONE },
        }),
        MessagingModule.forRoot({ service: 'orders', backend: config.BUS }),
        AuthModule.forRoot({ jwksUrl: config.AUTH_JWKS_URL, issuer: config.AUTH_ISSUER, audience: config.AUTH_AUDIENCE }),
        HealthModule.forRoot({ indicators: [DatabaseReadiness] }),
      ],
      controllers: [OrdersHttpController],
      providers: [CatalogClient, OrdersService, OrderSaga, OutboxRelayService],
    };
  }
}
