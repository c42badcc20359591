import { DataSource } from 'typeorm';
import type { DatabaseOptions } from '../data-source-options';
import { dataSourceOptions } from '../data-source-options';

/**
 * A fresh in-memory SQLite database with a service's migrations applied, configured exactly as the
 * service configures its own: for unit tests of repositories, handlers and services. Destroy it after.
 */
export async function inMemoryDataSource(schema: Pick<DatabaseOptions, 'entities' | 'migrations'>): Promise<DataSource> {
  const dataSource = new DataSource(dataSourceOptions({ url: 'sqlite::memory:', ...schema }));
  await dataSource.initialize();
  return dataSource;
}
