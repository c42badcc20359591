import { infraUrls, uniqueName } from '@nestkit/testing';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { type DatabaseOptions, dataSourceOptions } from '../data-source-options';

/** A throw-away PostgreSQL database made by {@link postgresDataSource}. */
export interface TemporaryPostgres {
  /** Its `DATABASE_URL`, e.g. for a service process started against it. */
  readonly url: string;
  /** Initialised, with the schema's migrations run. */
  readonly dataSource: DataSource;
  /** Closes the data source and drops the database. */
  drop(): Promise<void>;
}

async function onServer(sql: string): Promise<void> {
  const client = new Client({ connectionString: infraUrls().postgresUrl, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * A fresh database on the PostgreSQL of scripts/infra (`infraUrls().postgresUrl`), named after `prefix`,
 * migrated to a service's schema: for integration specs that need real row locks and concurrency. Drop it after.
 */
export async function postgresDataSource(prefix: string, schema: Pick<DatabaseOptions, 'entities' | 'migrations'>): Promise<TemporaryPostgres> {
  const name = uniqueName(prefix).replace(/-/g, '_');
  await onServer(`CREATE DATABASE ${name}`);
  const url = new URL(infraUrls().postgresUrl);
  url.pathname = `/${name}`;
  const dataSource = new DataSource(dataSourceOptions({ url: url.toString(), ...schema }));
  try {
    await dataSource.initialize();
  } catch (error) {
    await onServer(`DROP DATABASE IF EXISTS ${name}`);
    throw error;
  }
  return {
    url: url.toString(),
    dataSource,
    drop: async () => {
      if (dataSource.isInitialized) await dataSource.destroy();
      await onServer(`DROP DATABASE IF EXISTS ${name}`);
    },
  };
}
