import { type DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule, MessageIdentityStamper, ServiceTokenProvider, serviceTokenProviderOptions, verifierOptions } from '@nestkit/auth';
import { ConfigModule } from '@nestkit/config';
import { DatabaseModule, DatabaseReadiness } from '@nestkit/database';
import { DiscoveryModule, discoveryOptions, RegistryReadiness } from '@nestkit/discovery';
import { HealthModule } from '@nestkit/health';
import { LoggingModule } from '@nestkit/logging';
import { MessagingHousekeeping, MessagingModule, messagingOptions, MessagingReadiness, OutboxRelayService } from '@nestkit/messaging';
import { type OrdersConfig, ordersConfigSchema } from './orders.config';
import { ORDERS_SCHEMA } from './orders.schema';
import { CatalogClient } from './orders/catalog.client';
import { OrderEntity } from './orders/order.entity';
import { OrdersHttpController } from './orders/orders.http.controller';
import { OrdersService } from './orders/orders.service';
import { OrderSaga } from './saga/order.saga';
import { SagaTimeoutSweeper } from './saga/saga-timeout.sweeper';

/** The orders service: places orders and runs the place-order saga with catalog over the bus. */
@Module({})
export class AppModule {
  static forRoot(config: OrdersConfig): DynamicModule {
    // Built here, so a missing AUTH_CLIENT_SECRET stops the boot with a ConfigError naming it.
    const serviceTokens = new ServiceTokenProvider(serviceTokenProviderOptions(config));
    // Signs order-placed for the user as it is enqueued, and everything else orders sends as orders, as it leaves the outbox.
    const stamper = new MessageIdentityStamper(serviceTokens, config.AUTH_MESSAGE_AUDIENCE);
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot({ service: 'orders', schema: ordersConfigSchema, values: config }),
        LoggingModule.forRoot({ service: 'orders', level: config.LOG_LEVEL }),
        DatabaseModule.forRoot({ url: config.DATABASE_URL, ...ORDERS_SCHEMA }),
        TypeOrmModule.forFeature([OrderEntity]),
        DiscoveryModule.forRoot(discoveryOptions('orders', config)),
        MessagingModule.forRoot({ ...messagingOptions('orders', config), signer: stamper }),
        AuthModule.forRoot(verifierOptions(config)),
        HealthModule.forRoot({ indicators: [DatabaseReadiness, RegistryReadiness, MessagingReadiness] }),
      ],
      controllers: [OrdersHttpController],
      providers: [
        CatalogClient,
        OrdersService,
        OrderSaga,
        SagaTimeoutSweeper,
        OutboxRelayService,
        MessagingHousekeeping,
        { provide: ServiceTokenProvider, useValue: serviceTokens },
        { provide: MessageIdentityStamper, useValue: stamper },
      ],
    };
  }
}
