import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** An account. The password is stored only as an argon2id hash. */
@Entity({ name: 'users' })
export class UserEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'varchar', length: 254, unique: true })
  email!: string;

  @Column({ name: 'password_hash', type: 'varchar', length: 200 })
  passwordHash!: string;

  /** Comma-separated role names, e.g. `user` or `user,admin`. */
  @Column({ type: 'varchar', length: 200 })
  roles!: string;

  @CreateDateColumn({ name: 'created_at' })
  createdAt!: Date;
}
