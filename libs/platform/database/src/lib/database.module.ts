import { type DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { type DatabaseOptions, dataSourceOptions } from './data-source-options';
import { DatabaseReadiness } from './database.readiness';

/**
 * The service's own database through TypeORM: SQLite by default, PostgreSQL for a `postgres://` URL,
 * migrations applied at boot. Exposes `DataSource` and repositories as @nestjs/typeorm does.
 */
@Module({})
export class DatabaseModule {
  static forRoot(options: DatabaseOptions): DynamicModule {
    return {
      module: DatabaseModule,
      global: true,
      imports: [TypeOrmModule.forRoot({ ...dataSourceOptions(options), retryAttempts: 3, retryDelay: 1_000 })],
      providers: [DatabaseReadiness],
      exports: [DatabaseReadiness],
    };
  }
}
