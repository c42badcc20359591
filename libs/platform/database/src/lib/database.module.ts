import { type DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { type DatabaseOptions, dataSourceOptions } from './data-source-options';
import { DatabaseReadiness } from './database.readiness';
import { traceQueries } from './query-spans';

/**
 * The service's own database through TypeORM: SQLite by default, PostgreSQL for a `postgres://` URL,
 * migrations applied at boot, a span per statement inside a trace. Exposes `DataSource` and repositories as @nestjs/typeorm does.
 */
@Module({})
export class DatabaseModule {
  static forRoot(options: DatabaseOptions): DynamicModule {
    return {
      module: DatabaseModule,
      global: true,
      imports: [
        TypeOrmModule.forRootAsync({
          useFactory: () => ({ ...dataSourceOptions(options), retryAttempts: 3, retryDelay: 1_000 }),
          // Every statement gets a span inside a trace (query-spans.ts).
          dataSourceFactory: async (dataSourceOptions) => traceQueries(await new DataSource(dataSourceOptions as never).initialize()),
        }),
      ],
      providers: [DatabaseReadiness],
      exports: [DatabaseReadiness],
    };
  }
}
