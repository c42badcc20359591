import { z } from 'zod';

/** What a notification is about; one kind per domain event the notifications service listens to. */
export const NotificationKind = z.enum(['user-registered', 'order-placed', 'order-confirmed', 'order-rejected', 'order-cancelled']);
export type NotificationKind = z.infer<typeof NotificationKind>;

/** A notification as the notifications HTTP API returns it; `orderId` is set for order notifications. */
export const Notification = z.object({
  id: z.string().min(1),
  userId: z.string().min(1),
  kind: NotificationKind,
  message: z.string().min(1),
  orderId: z.string().min(1).optional(),
  createdAt: z.iso.datetime(),
});
export type Notification = z.infer<typeof Notification>;
