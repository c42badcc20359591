import { dataSourceOptions } from '@nestkit/database';
import { infraUrls, uniqueName } from '@nestkit/testing';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { IDENTITY_SCHEMA } from '../identity.schema';

async function admin(sql: string): Promise<void> {
  const client = new Client({ connectionString: infraUrls().postgresUrl, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A fresh PostgreSQL database (on the infra server) migrated to identity's schema; `drop()` removes it. */
export async function identityPostgres(): Promise<{ url: string; dataSource: DataSource; drop: () => Promise<void> }> {
  const name = uniqueName('identity').replace(/-/g, '_');
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(infraUrls().postgresUrl);
  url.pathname = `/${name}`;
  const dataSource = new DataSource(dataSourceOptions({ url: url.toString(), ...IDENTITY_SCHEMA }));
  await dataSource.initialize();
  return {
    url: url.toString(),
    dataSource,
    drop: async () => {
      await dataSource.destroy();
      await admin(`DROP DATABASE IF EXISTS ${name}`);
    },
  };
}
