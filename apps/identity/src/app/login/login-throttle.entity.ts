import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Login attempts counted against one key (`account:<sha256 of e-mail>` or `ip:<address>`). */
@Entity({ name: 'login_throttles' })
export class LoginThrottleEntity {
  @PrimaryColumn({ type: 'varchar', length: 100 })
  key!: string;

  @Column({ type: 'int' })
  attempts!: number;

  /** Epoch ms the current counting window began. */
  @Column({ name: 'window_started_at', type: 'bigint' })
  windowStartedAt!: string;

  /** Epoch ms until which attempts are refused; 0 when not locked. */
  @Column({ name: 'locked_until', type: 'bigint' })
  lockedUntil!: string;
}
