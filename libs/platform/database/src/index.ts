export { type DatabaseOptions, dataSourceOptions } from './lib/data-source-options';
export { databaseUrl, type DatabaseTarget, parseDatabaseUrl, prepareSqliteFile } from './lib/database-url';
export { DatabaseModule } from './lib/database.module';
export { DatabaseReadiness } from './lib/database.readiness';
export { type DialectColumns, dialectColumns } from './lib/dialect-columns';
export { inTransaction } from './lib/in-transaction';
export { pruneRows, type PruneOptions } from './lib/prune-rows';
export { traceQueries } from './lib/query-spans';
