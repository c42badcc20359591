import { describeSchema } from '@nestkit/database/testing';
import { NOTIFICATIONS_SCHEMA } from './notifications.schema';

describeSchema('notifications', NOTIFICATIONS_SCHEMA);
