import { type MigrationInterface, type QueryRunner, Table } from 'typeorm';
import { dialectColumns } from '@nestkit/database';

/** Creates the `outbox` table and its `published_at` index, on SQLite and PostgreSQL alike. */
export class CreateOutboxTable1732500000000 implements MigrationInterface {
  name = 'CreateOutboxTable1732500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const { timestamp, integer } = dialectColumns(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'outbox',
        columns: [
          { name: 'id', type: 'varchar', length: '64', isPrimary: true },
          { name: 'type', type: 'varchar', length: '200' },
          { name: 'key', type: 'varchar', length: '200', isNullable: true },
          { name: 'envelope', type: 'text' },
          { name: 'created_at', type: timestamp },
          { name: 'published_at', type: timestamp, isNullable: true },
          { name: 'attempts', type: integer, default: 0 },
          { name: 'last_error', type: 'text', isNullable: true },
        ],
        indices: [{ name: 'IDX_outbox_published_at', columnNames: ['published_at'] }],
      }),
      true,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('outbox', true);
  }
}
