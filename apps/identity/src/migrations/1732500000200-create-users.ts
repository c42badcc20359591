import { dialectColumns } from '@nestkit/database';
import { type MigrationInterface, type QueryRunner, Table } from 'typeorm';

/** Users and their refresh tokens. */
export class CreateUsers1732500000200 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    const { timestamp, createdAtDefault } = dialectColumns(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'users',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'email', type: 'varchar', length: '254', isUnique: true },
          { name: 'password_hash', type: 'varchar', length: '200' },
          { name: 'roles', type: 'varchar', length: '200' },
          { name: 'created_at', type: timestamp, default: createdAtDefault },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'refresh_tokens',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'user_id', type: 'varchar', length: '36' },
          { name: 'token_hash', type: 'varchar', length: '64', isUnique: true },
          { name: 'expires_at', type: 'bigint' },
          { name: 'created_at', type: timestamp, default: createdAtDefault },
        ],
        indices: [{ name: 'refresh_tokens_user_id', columnNames: ['user_id'] }],
        foreignKeys: [{ name: 'refresh_tokens_user_fk', columnNames: ['user_id'], referencedTableName: 'users', referencedColumnNames: ['id'], onDelete: 'CASCADE' }],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('refresh_tokens');
    await queryRunner.dropTable('users');
  }
}
