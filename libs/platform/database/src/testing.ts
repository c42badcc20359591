export { inMemoryDataSource } from './lib/testing/in-memory-data-source';
export { checkSchemaOnPostgres, checkSchemaOnSqlite, describeSchema, type SchemaCheck } from './lib/testing/schema-check';
export { postgresDataSource, type TemporaryPostgres } from './lib/testing/postgres-data-source';
