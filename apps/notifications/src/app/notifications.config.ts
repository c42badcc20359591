import { baseConfigSchema, port } from '@nestkit/config';
import { databaseUrl } from '@nestkit/database';
import { MESSAGING_BACKENDS } from '@nestkit/messaging';
import { z } from 'zod';

/** Every setting of the notifications service, read from the environment and validated at boot. */
export const notificationsConfigSchema = baseConfigSchema.extend({
  PORT: port(4004),
  DATABASE_URL: databaseUrl('sqlite:.data/notifications.db'),
  REGISTRY: z.enum(['memory', 'static']).default('memory'),
  BUS: z.enum(MESSAGING_BACKENDS).default('memory'),
  SERVICE_VERSION: z.string().default('0.1.0'),
  ZONE: z.string().default('local'),
  AUTH_JWKS_URL: z.url().default('http://127.0.0.1:4001/.well-known/jwks.json'),
  AUTH_ISSUER: z.string().min(1).default('nestkit-identity'),
  AUTH_AUDIENCE: z.string().min(1).default('nestkit'),
});

export type NotificationsConfig = z.infer<typeof notificationsConfigSchema>;
