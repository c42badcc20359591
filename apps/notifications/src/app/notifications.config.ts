import { authConfigSchema } from '@nestkit/auth';
import { baseConfigSchema, port } from '@nestkit/config';
import { databaseUrl } from '@nestkit/database';
import { discoveryConfigSchema } from '@nestkit/discovery';
import { MESSAGING_BACKENDS } from '@nestkit/messaging';
import { z } from 'zod';

/** Every setting of the notifications service, read from the environment and validated at boot. */
export const notificationsConfigSchema = baseConfigSchema.extend({
  ...discoveryConfigSchema.shape,
  ...authConfigSchema.shape,
  PORT: port(4004),
  DATABASE_URL: databaseUrl('sqlite:.data/notifications.db'),
  BUS: z.enum(MESSAGING_BACKENDS).default('memory'),
});

export type NotificationsConfig = z.infer<typeof notificationsConfigSchema>;
