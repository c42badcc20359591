import { z } from 'zod';

/** Names of the messages identity publishes. Use these constants, never string literals. */
export const IdentityEvents = {
  userRegistered: 'identity.user-registered',
} as const;

/** Payload of `identity.user-registered`. */
export const UserRegisteredPayload = z.object({
  userId: z.string().min(1),
  email: z.string().pipe(z.email()),
});
export type UserRegisteredPayload = z.infer<typeof UserRegisteredPayload>;

/** Event contract: a new account was created. Produced by identity after the user row is committed. */
export const UserRegistered = {
  type: IdentityEvents.userRegistered,
  version: 1,
  schema: UserRegisteredPayload,
} as const;
