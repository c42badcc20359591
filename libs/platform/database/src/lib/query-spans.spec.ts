import { tracer } from '@nestkit/tracing';
import { parentOf, recordSpans } from '@nestkit/tracing/testing';
import { context, SpanKind, trace } from '@opentelemetry/api';
import { Column, DataSource, Entity, PrimaryColumn } from 'typeorm';
import { inTransaction } from './in-transaction';
import { traceQueries } from './query-spans';

const spans = recordSpans();

@Entity('notes')
class Note {
  @PrimaryColumn()
  id!: string;

  @Column()
  text!: string;
}

describe(traceQueries.name, () => {
  let sut: DataSource;

  beforeEach(async () => {
    sut = traceQueries(await new DataSource({ type: 'better-sqlite3', database: ':memory:', entities: [Note], synchronize: true }).initialize());
    spans.reset();
  });

  afterEach(() => sut.destroy());

  it('makes a CLIENT span per statement inside a trace, a child of the active span, with the SQL but no values', async () => {
    const request = tracer().startSpan('POST /notes');
    await context.with(trace.setSpan(context.active(), request), async () => {
      await inTransaction(sut, (manager) => manager.insert(Note, { id: 'n1', text: 'secret-value' }));
      await sut.getRepository(Note).findOneBy({ id: 'n1' });
    });
    request.end();
    const statements = spans.getFinishedSpans().filter((span) => span.attributes['db.system.name'] === 'sqlite');
    expect(statements.map((span) => span.name)).toEqual(expect.arrayContaining(['INSERT', 'SELECT']));
    for (const span of statements) {
      expect(span.spanContext().traceId).toBe(request.spanContext().traceId);
      expect(parentOf(span)).toBe(request.spanContext().spanId);
      expect(span.kind).toBe(SpanKind.CLIENT);
    }
    const insert = statements.find((span) => span.name === 'INSERT');
    expect(String(insert?.attributes['db.query.text'])).toMatch(/^INSERT INTO "notes"/);
    expect(JSON.stringify(statements.map((span) => span.attributes))).not.toContain('secret-value');
  });

  it('makes no span outside a trace (idle polling, migrations)', async () => {
    await sut.getRepository(Note).find();
    expect(spans.getFinishedSpans()).toEqual([]);
  });
});
