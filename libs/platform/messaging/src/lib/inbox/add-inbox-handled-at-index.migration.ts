import { type MigrationInterface, type QueryRunner, TableIndex } from 'typeorm';

/** Indexes `inbox.handled_at`, so that retention deletes old ids without scanning the table. */
export class AddInboxHandledAtIndex1732500000002 implements MigrationInterface {
  name = 'AddInboxHandledAtIndex1732500000002';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createIndex('inbox', new TableIndex({ name: 'IDX_inbox_handled_at', columnNames: ['handled_at'] }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('inbox', 'IDX_inbox_handled_at');
  }
}
