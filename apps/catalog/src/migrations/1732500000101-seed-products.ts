import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The sample catalogue the README walkthrough orders from. */
export const SEED_PRODUCTS = [
  { id: 'p-keyboard', sku: 'KB-001', name: 'Mechanical keyboard', price_cents: 8900, stock: 25, version: 1 },
  { id: 'p-mouse', sku: 'MS-001', name: 'Wireless mouse', price_cents: 2900, stock: 50, version: 1 },
  { id: 'p-monitor', sku: 'MN-001', name: '27-inch monitor', price_cents: 27900, stock: 3, version: 1 },
] as const;

export class SeedProducts1732500000101 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    // Plain SQL that SQLite and PostgreSQL both accept; the values are constants, quoted below.
    const quote = (text: string) => `'${text.replace(/'/g, "''")}'`;
    const rows = SEED_PRODUCTS.map((p) => `(${quote(p.id)}, ${quote(p.sku)}, ${quote(p.name)}, ${p.price_cents}, ${p.stock}, ${p.version})`);
    await queryRunner.query(`INSERT INTO products (id, sku, name, price_cents, stock, version) VALUES ${rows.join(', ')}`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.manager
      .createQueryBuilder()
      .delete()
      .from('products')
      .whereInIds(SEED_PRODUCTS.map((p) => p.id))
      .execute();
  }
}
