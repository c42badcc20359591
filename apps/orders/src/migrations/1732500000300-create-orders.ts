import { dialectColumns } from '@nestkit/database';
import { type MigrationInterface, type QueryRunner, Table } from 'typeorm';

/** The orders table. */
export class CreateOrders1732500000300 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    const { timestamp, createdAtDefault, updatedAtDefault } = dialectColumns(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'orders',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'user_id', type: 'varchar', length: '36' },
          { name: 'status', type: 'varchar', length: '16' },
          { name: 'reason', type: 'varchar', length: '500', isNullable: true },
          { name: 'items', type: 'text' },
          { name: 'created_at', type: timestamp, default: createdAtDefault },
          { name: 'updated_at', type: timestamp, default: updatedAtDefault },
          { name: 'version', type: 'integer' },
        ],
        indices: [{ name: 'orders_user_id', columnNames: ['user_id'] }],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('orders');
  }
}
