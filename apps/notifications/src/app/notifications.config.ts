import { serviceAuthConfigSchema } from '@nestkit/auth';
import { baseConfigSchema, port } from '@nestkit/config';
import { databaseUrl } from '@nestkit/database';
import { discoveryConfigSchema } from '@nestkit/discovery';
import { messagingConfigSchema } from '@nestkit/messaging';
import { z } from 'zod';

/** Every setting of the notifications service, read from the environment and validated at boot. */
export const notificationsConfigSchema = baseConfigSchema.extend({
  ...discoveryConfigSchema.shape,
  ...messagingConfigSchema.shape,
  // Production by default: callers need a service token for "notifications".
  ...serviceAuthConfigSchema('notifications').shape,
  PORT: port(4004),
  DATABASE_URL: databaseUrl('sqlite:.data/notifications.db'),
});

export type NotificationsConfig = z.infer<typeof notificationsConfigSchema>;
