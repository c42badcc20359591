import { failSpan, SpanKind, tracer } from '@nestkit/tracing';
import { context, trace } from '@opentelemetry/api';
import type { DataSource, QueryRunner } from 'typeorm';

const TRACED = Symbol.for('nestkit.database.traced-runner');

type Runner = QueryRunner & { [TRACED]?: true };

/**
 * A CLIENT span per SQL statement (`SELECT`, `INSERT`...), with `db.system.name`, `db.operation.name` and
 * `db.query.text` (the statement with its placeholders; parameter values are never recorded), for every
 * query TypeORM runs through `dataSource`: repositories, query builders, transactions. Only inside a
 * sampled trace (a request, a message handler, a relay batch): the relay's idle polling and migrations
 * at boot make no root spans. Wraps each query runner's `query`, the one path every statement takes, on
 * SQLite and PostgreSQL alike; no OpenTelemetry instrumentation covers TypeORM over better-sqlite3.
 */
export function traceQueries(dataSource: DataSource): DataSource {
  const system = dataSource.options.type === 'postgres' ? 'postgresql' : 'sqlite';
  const driver = dataSource.driver;
  const create = driver.createQueryRunner.bind(driver);
  driver.createQueryRunner = (mode) => {
    const runner = create(mode) as Runner;
    if (!runner[TRACED]) {
      runner[TRACED] = true;
      const query = runner.query.bind(runner);
      runner.query = ((sql: string, parameters?: unknown[], structured?: boolean) => {
        const parent = trace.getActiveSpan();
        if (!parent?.isRecording()) return query(sql, parameters, structured as never);
        const operation = /^\s*(\w+)/.exec(sql)?.[1]?.toUpperCase() ?? 'QUERY';
        const span = tracer().startSpan(operation, {
          kind: SpanKind.CLIENT,
          attributes: { 'db.system.name': system, 'db.operation.name': operation, 'db.query.text': sql.length > 2_000 ? `${sql.slice(0, 2_000)}...` : sql },
        });
        return context.with(trace.setSpan(context.active(), span), () => query(sql, parameters, structured as never)).then(
          (result: unknown) => {
            span.end();
            return result;
          },
          (error: unknown) => {
            failSpan(span, error);
            span.end();
            throw error;
          },
        );
      }) as QueryRunner['query'];
    }
    return runner;
  };
  return dataSource;
}
