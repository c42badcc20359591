import { dialectColumns } from '@nestkit/database';
import { type MigrationInterface, type QueryRunner, Table, TableColumn, TableIndex } from 'typeorm';

/**
 * Persisted signing keys (so a restart keeps tokens valid and keys can rotate), refresh-token families
 * with spent and revoked marks, and login throttling counters.
 */
export class SigningKeysAndSessions1732500000300 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    const { integer } = dialectColumns(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'signing_keys',
        columns: [
          { name: 'kid', type: 'varchar', length: '64', isPrimary: true },
          { name: 'alg', type: 'varchar', length: '16' },
          { name: 'state', type: 'varchar', length: '16' },
          { name: 'public_jwk', type: 'text' },
          { name: 'private_key', type: 'text' },
          { name: 'created_at', type: 'bigint' },
          { name: 'activated_at', type: 'bigint', isNullable: true },
          { name: 'remove_after', type: 'bigint', isNullable: true },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'login_throttles',
        columns: [
          { name: 'key', type: 'varchar', length: '100', isPrimary: true },
          { name: 'attempts', type: integer },
          { name: 'window_started_at', type: 'bigint' },
          { name: 'locked_until', type: 'bigint' },
        ],
      }),
    );
    // Existing tokens each start their own family (their own id), then the column becomes required.
    await queryRunner.addColumns('refresh_tokens', [
      new TableColumn({ name: 'family_id', type: 'varchar', length: '36', isNullable: true }),
      new TableColumn({ name: 'used_at', type: 'bigint', isNullable: true }),
      new TableColumn({ name: 'revoked_at', type: 'bigint', isNullable: true }),
    ]);
    await queryRunner.query('UPDATE refresh_tokens SET family_id = id');
    await queryRunner.changeColumn('refresh_tokens', 'family_id', new TableColumn({ name: 'family_id', type: 'varchar', length: '36' }));
    await queryRunner.createIndex('refresh_tokens', new TableIndex({ name: 'refresh_tokens_family_id', columnNames: ['family_id'] }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('refresh_tokens', 'refresh_tokens_family_id');
    await queryRunner.dropColumns('refresh_tokens', ['revoked_at', 'used_at', 'family_id']);
    await queryRunner.dropTable('login_throttles');
    await queryRunner.dropTable('signing_keys');
  }
}
