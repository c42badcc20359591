export { Notification, NotificationKind } from './lib/notifications.http';
