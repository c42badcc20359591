import type { NotificationKind } from '@nestkit/contracts/notifications';
import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/** A message for one user about something that happened to their account or orders. */
@Entity({ name: 'notifications' })
@Index('notifications_user_created', ['userId', 'createdAt'])
export class NotificationEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'user_id', type: 'varchar', length: 36 })
  userId!: string;

  @Column({ type: 'varchar', length: 32 })
  kind!: NotificationKind;

  @Column({ type: 'varchar', length: 500 })
  message!: string;

  @Column({ name: 'order_id', type: 'varchar', length: 36, nullable: true })
  orderId!: string | null;

  @CreateDateColumn({ name: 'created_at' })
  createdAt!: Date;
}
