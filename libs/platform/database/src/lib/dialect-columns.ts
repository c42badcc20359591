import type { QueryRunner } from 'typeorm';

/** Column types and defaults as the connected driver spells them, for dialect-neutral migrations. */
export interface DialectColumns {
  /** `datetime` on SQLite, `timestamp` on PostgreSQL: what a `Date` property maps to. */
  timestamp: string;
  integer: string;
  /** The default TypeORM gives `@CreateDateColumn` (`datetime('now')` / `now()`). */
  createdAtDefault: string;
  /** The default TypeORM gives `@UpdateDateColumn`. */
  updatedAtDefault: string;
}

/**
 * Reads types and defaults from the same driver mapping the entities use, so one migration written
 * with the `Table` API builds exactly the schema the entities describe, on SQLite and PostgreSQL.
 */
export function dialectColumns(queryRunner: QueryRunner): DialectColumns {
  const driver = queryRunner.connection.driver;
  return {
    timestamp: driver.normalizeType({ type: Date }),
    integer: driver.normalizeType({ type: 'int' }),
    createdAtDefault: String(driver.mappedDataTypes.createDateDefault),
    updatedAtDefault: String(driver.mappedDataTypes.updateDateDefault),
  };
}
