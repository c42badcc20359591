import { type MigrationInterface, type QueryRunner, TableIndex } from 'typeorm';

/** Indexes `stock_reservations.updated_at`, so that retention deletes old reservations without scanning the table. */
export class IndexStockReservationsUpdatedAt1732500000103 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createIndex('stock_reservations', new TableIndex({ name: 'IDX_stock_reservations_updated_at', columnNames: ['updated_at'] }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('stock_reservations', 'IDX_stock_reservations_updated_at');
  }
}
