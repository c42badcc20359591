import { AddInboxHandledAtIndex1732500000002, CreateInboxTable1732500000001, InboxMessage } from '@nestkit/messaging';
import { CreateNotifications1732500000400 } from '../migrations/1732500000400-create-notifications';
import { NotificationEntity } from './notifications/notification.entity';

/** The notifications database: its entities and the migrations that build them, in order. */
export const NOTIFICATIONS_SCHEMA = {
  entities: [NotificationEntity, InboxMessage],
  migrations: [CreateInboxTable1732500000001, AddInboxHandledAtIndex1732500000002, CreateNotifications1732500000400],
};
