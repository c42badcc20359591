import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** One envelope waiting in the `outbox` table to be published by the {@link OutboxRelay}. */
@Entity({ name: 'outbox' })
@Index('IDX_outbox_published_at', ['publishedAt'])
export class OutboxMessage {
  /** The envelope id. */
  @PrimaryColumn({ type: 'varchar', length: 64 })
  id!: string;

  @Column({ type: 'varchar', length: 200 })
  type!: string;

  @Column({ type: 'varchar', length: 200, nullable: true })
  key!: string | null;

  /** The whole envelope as JSON, published verbatim. */
  @Column({ type: 'text' })
  envelope!: string;

  @Column({ name: 'created_at', type: Date })
  createdAt!: Date;

  @Column({ name: 'published_at', type: Date, nullable: true })
  publishedAt!: Date | null;

  /** Failed publish attempts so far. */
  @Column({ type: 'int', default: 0 })
  attempts!: number;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError!: string | null;
}
