import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** Records that `consumer` handled message `messageId`; the composite key is what dedupes redeliveries. */
@Entity({ name: 'inbox' })
@Index('IDX_inbox_handled_at', ['handledAt'])
export class InboxMessage {
  @PrimaryColumn({ type: 'varchar', length: 200 })
  consumer!: string;

  @PrimaryColumn({ name: 'message_id', type: 'varchar', length: 64 })
  messageId!: string;

  @Column({ name: 'handled_at', type: Date })
  handledAt!: Date;
}
