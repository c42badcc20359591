import { dialectColumns } from '@nestkit/database';
import { type MigrationInterface, type QueryRunner, Table, TableCheck } from 'typeorm';

/** The stock_reservations table: what catalog holds (or refuses to hold) for each order. */
export class CreateStockReservations1732500000102 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    const { timestamp, createdAtDefault, updatedAtDefault } = dialectColumns(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'stock_reservations',
        columns: [
          { name: 'order_id', type: 'varchar', length: '64', isPrimary: true },
          { name: 'items', type: 'text' },
          { name: 'status', type: 'varchar', length: '16' },
          { name: 'created_at', type: timestamp, default: createdAtDefault },
          { name: 'updated_at', type: timestamp, default: updatedAtDefault },
        ],
        checks: [new TableCheck({ name: 'stock_reservations_status', expression: "status IN ('RESERVED', 'RELEASED', 'CANCELLED')" })],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('stock_reservations');
  }
}
