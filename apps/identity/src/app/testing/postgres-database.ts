import { postgresDataSource, type TemporaryPostgres } from '@nestkit/database/testing';
import { IDENTITY_SCHEMA } from '../identity.schema';

/** A fresh PostgreSQL database (on the infra server) migrated to identity's schema; `drop()` removes it. */
export function identityPostgres(): Promise<TemporaryPostgres> {
  return postgresDataSource('identity', IDENTITY_SCHEMA);
}
