import { type MigrationInterface, type QueryRunner, Table } from 'typeorm';
import { dialectColumns } from '@nestkit/database';

/** Creates the `inbox` table keyed by (consumer, message_id), on SQLite and PostgreSQL alike. */
export class CreateInboxTable1732500000001 implements MigrationInterface {
  name = 'CreateInboxTable1732500000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    const { timestamp } = dialectColumns(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'inbox',
        columns: [
          { name: 'consumer', type: 'varchar', length: '200', isPrimary: true },
          { name: 'message_id', type: 'varchar', length: '64', isPrimary: true },
          { name: 'handled_at', type: timestamp },
        ],
      }),
      true,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('inbox', true);
  }
}
