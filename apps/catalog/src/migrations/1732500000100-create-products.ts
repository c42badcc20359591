import { type MigrationInterface, type QueryRunner, Table, TableCheck } from 'typeorm';

/** The products table; stock can never go negative, enforced by the database as well as the code. */
export class CreateProducts1732500000100 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'products',
        columns: [
          { name: 'id', type: 'varchar', length: '64', isPrimary: true },
          { name: 'sku', type: 'varchar', length: '64', isUnique: true },
          { name: 'name', type: 'varchar', length: '200' },
          { name: 'price_cents', type: 'integer' },
          { name: 'stock', type: 'integer' },
          { name: 'version', type: 'integer' },
        ],
        checks: [new TableCheck({ name: 'products_stock_non_negative', expression: 'stock >= 0' })],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('products');
  }
}
