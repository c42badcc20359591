import type { RetentionTask } from '@nestkit/messaging';
import type { StockItem } from '@nestkit/contracts/catalog';
import { Check, Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/**
 * Where catalog's part of one order stands: RESERVED (its stock is held), RELEASED (given back after
 * orders cancelled it) or CANCELLED (a tombstone: the cancel arrived before the order, which is then refused).
 */
export type StockReservationStatus = 'RESERVED' | 'RELEASED' | 'CANCELLED';

/**
 * The stock held for one order, keyed by the order id. The primary key is what keeps a reservation and a
 * cancel racing for one order apart: the second insert fails, its message is retried and sees the first.
 * Rows are deleted `MESSAGING_RETENTION_HOURS` after their last change (STOCK_RESERVATION_RETENTION), as
 * the inbox ids of the messages that made them are: by then no copy of an order's messages can arrive.
 */
@Entity({ name: 'stock_reservations' })
@Index('IDX_stock_reservations_updated_at', ['updatedAt'])
@Check('stock_reservations_status', "status IN ('RESERVED', 'RELEASED', 'CANCELLED')")
export class StockReservationEntity {
  @PrimaryColumn({ name: 'order_id', type: 'varchar', length: 64 })
  orderId!: string;

  /** The order lines as reserved; empty for a tombstone. */
  @Column({ type: 'simple-json' })
  items!: StockItem[];

  @Column({ type: 'varchar', length: 16 })
  status!: StockReservationStatus;

  @CreateDateColumn({ name: 'created_at' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at' })
  updatedAt!: Date;
}

/** Catalog's own table for {@link MessagingHousekeeping}'s retention: reservations, releases and tombstones, by last change. */
export const STOCK_RESERVATION_RETENTION: RetentionTask<StockReservationEntity> = { entity: StockReservationEntity, column: 'updatedAt' };
