import { type DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '@nestkit/auth';
import { ConfigModule } from '@nestkit/config';
import { DatabaseModule, DatabaseReadiness } from '@nestkit/database';
import { DiscoveryModule } from '@nestkit/discovery';
import { HealthModule } from '@nestkit/health';
import { LoggingModule } from '@nestkit/logging';
import { MESSAGING_ENTITIES, MESSAGING_MIGRATIONS, MessagingModule, OutboxRelayService } from '@nestkit/messaging';
import { CreateOrders1732500000300 } from '../migrations/1732500000300-create-orders';
import { type OrdersConfig, ordersConfigSchema } from './orders.config';
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
        DatabaseModule.forRoot({
          url: config.DATABASE_URL,
          entities: [OrderEntity, ...MESSAGING_ENTITIES],
          migrations: [...MESSAGING_MIGRATIONS, CreateOrders1732500000300],
        }),
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
