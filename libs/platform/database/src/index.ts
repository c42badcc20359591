export { type DatabaseOptions, dataSourceOptions } from './lib/data-source-options';
export { databaseUrl, type DatabaseTarget, parseDatabaseUrl, prepareSqliteFile } from './lib/database-url';
export { DatabaseModule } from './lib/database.module';
export { DatabaseReadiness } from './lib/database.readiness';
export { inTransaction } from './lib/in-transaction';
