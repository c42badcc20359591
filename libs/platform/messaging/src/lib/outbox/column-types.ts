import type { QueryRunner } from 'typeorm';

/**
 * Column types spelled the way the connected driver spells them (`datetime` on SQLite, `timestamp` on
 * PostgreSQL), taken from the same mapping the entities use, so one migration fits both dialects.
 */
export function columnTypes(queryRunner: QueryRunner): { timestamp: string; integer: string } {
  const driver = queryRunner.connection.driver;
  return {
    timestamp: driver.normalizeType({ type: Date }),
    integer: driver.normalizeType({ type: 'int' }),
  };
}
