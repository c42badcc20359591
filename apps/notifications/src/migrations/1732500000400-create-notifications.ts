import { dialectColumns } from '@nestkit/database';
import { type MigrationInterface, type QueryRunner, Table } from 'typeorm';

/** The notifications table, read newest first per user. */
export class CreateNotifications1732500000400 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    const { timestamp, createdAtDefault } = dialectColumns(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'notifications',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'user_id', type: 'varchar', length: '36' },
          { name: 'kind', type: 'varchar', length: '32' },
          { name: 'message', type: 'varchar', length: '500' },
          { name: 'order_id', type: 'varchar', length: '36', isNullable: true },
          { name: 'created_at', type: timestamp, default: createdAtDefault },
        ],
        indices: [{ name: 'notifications_user_created', columnNames: ['user_id', 'created_at'] }],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('notifications');
  }
}
