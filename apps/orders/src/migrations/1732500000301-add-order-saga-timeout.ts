import { type MigrationInterface, type QueryRunner, TableColumn, TableIndex } from 'typeorm';

/**
 * What the saga timeout needs on `orders`: the flow's correlation id, so the cancel event joins the
 * order's message flow, and an index on (status, created_at) for the sweep for overdue PENDING orders.
 */
export class AddOrderSagaTimeout1732500000301 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    // Nullable: orders placed before this migration have no recorded correlation id.
    await queryRunner.addColumn('orders', new TableColumn({ name: 'correlation_id', type: 'varchar', length: '36', isNullable: true }));
    await queryRunner.createIndex('orders', new TableIndex({ name: 'orders_status_created', columnNames: ['status', 'created_at'] }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('orders', 'orders_status_created');
    await queryRunner.dropColumn('orders', 'correlation_id');
  }
}
