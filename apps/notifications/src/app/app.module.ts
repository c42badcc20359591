import { type DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule, verifierOptions } from '@nestkit/auth';
import { ConfigModule } from '@nestkit/config';
import { DatabaseModule, DatabaseReadiness } from '@nestkit/database';
import { DiscoveryModule, discoveryOptions, RegistryReadiness } from '@nestkit/discovery';
import { HealthModule } from '@nestkit/health';
import { LoggingModule } from '@nestkit/logging';
import { MessagingHousekeeping, MessagingModule, messagingOptions, MessagingReadiness } from '@nestkit/messaging';
import { type NotificationsConfig, notificationsConfigSchema } from './notifications.config';
import { NOTIFICATIONS_SCHEMA } from './notifications.schema';
import { NotificationEntity } from './notifications/notification.entity';
import { NotificationsHttpController } from './notifications/notifications.http.controller';
import { OrderEventsHandler } from './notifications/order-events.handler';

/** The notifications service: consumes the order events and shows each user theirs. */
@Module({})
export class AppModule {
  static forRoot(config: NotificationsConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot({ service: 'notifications', schema: notificationsConfigSchema, values: config }),
        LoggingModule.forRoot({ service: 'notifications', level: config.LOG_LEVEL }),
        DatabaseModule.forRoot({ url: config.DATABASE_URL, ...NOTIFICATIONS_SCHEMA }),
        TypeOrmModule.forFeature([NotificationEntity]),
        DiscoveryModule.forRoot(discoveryOptions('notifications', config)),
        MessagingModule.forRoot(messagingOptions('notifications', config)),
        AuthModule.forRoot(verifierOptions(config)),
        HealthModule.forRoot({ indicators: [DatabaseReadiness, RegistryReadiness, MessagingReadiness] }),
      ],
      controllers: [NotificationsHttpController],
      providers: [OrderEventsHandler, MessagingHousekeeping],
    };
  }
}
