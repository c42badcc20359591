import type { OrderItem, OrderStatus } from '@nestkit/contracts/orders';
import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn, VersionColumn } from 'typeorm';

/**
 * An order and its lines. Lines are stored with the order (one row), as they never change after placing.
 * The (status, created_at) index serves the saga timeout's sweep for overdue PENDING orders.
 */
@Entity({ name: 'orders' })
@Index('orders_status_created', ['status', 'createdAt'])
export class OrderEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Index('orders_user_id')
  @Column({ name: 'user_id', type: 'varchar', length: 36 })
  userId!: string;

  @Column({ type: 'varchar', length: 16 })
  status!: OrderStatus;

  @Column({ type: 'varchar', length: 500, nullable: true })
  reason!: string | null;

  @Column({ type: 'simple-json' })
  items!: OrderItem[];

  /** Correlation id of the order's message flow (its `order-placed` envelope's); null for orders placed before it was recorded. */
  @Column({ name: 'correlation_id', type: 'varchar', length: 36, nullable: true })
  correlationId!: string | null;

  @CreateDateColumn({ name: 'created_at' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at' })
  updatedAt!: Date;

  @VersionColumn()
  version!: number;
}
