import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dataSourceOptions, inTransaction } from '@nestkit/database';
import { createEnvelope, type Envelope, Inbox, MESSAGING_ENTITIES, MESSAGING_MIGRATIONS, type MessageContract, Outbox, OutboxRelay, type Publisher, type Subscriber } from '@nestkit/messaging';
import { DataSource } from 'typeorm';
import { z } from 'zod';

/** The event the ledger sends: its sequence number, so a lost one can be named. */
export const LedgerEntryRecorded: MessageContract<{ seq: number }> = {
  type: 'ledger.entry-recorded',
  version: 1,
  schema: z.object({ seq: z.number().int().min(0) }),
};

/** A backend under test: its bus as one object, connected and closed by the run. */
export type LedgerBus = Publisher & Subscriber;

/** What a chaos action does to the run, e.g. `kill -9` the broker and start it again. */
export interface LedgerChaos {
  /** Fractions of the events written (0..1) at which `strike` runs, e.g. [0.2, 0.45, 0.7]. */
  readonly at: readonly number[];
  readonly strike: (index: number) => Promise<void>;
}

/** Options of {@link runLedger}. */
export interface LedgerOptions {
  readonly events: number;
  /** Creates the bus the producer's relay publishes to and the consumer reads from. */
  readonly bus: () => LedgerBus;
  /** Consumer group; unique per run. */
  readonly group: string;
  readonly chaos?: LedgerChaos;
  /**
   * Events written to the producer's outbox per second, in transactions of 100, as a live service would;
   * the chaos strikes at fractions of what was written, so every strike lands while events are still being
   * produced. Default: all at once.
   */
  readonly writesPerSecond?: number;
  /** Gives up (and reports what is missing) after this long. */
  readonly timeoutMs: number;
  /** Called about every 2 s with a line of progress. */
  readonly progress?: (line: string) => void;
}

/** What a ledger run found: every count the proof needs. */
export interface LedgerReport {
  readonly events: number;
  /** Events whose effect was applied at least once. */
  readonly applied: number;
  /** Sequence numbers never applied (first 20). */
  readonly lost: readonly number[];
  /** Effects applied more than once (must be 0: the inbox dedupes). */
  readonly appliedTwice: number;
  /** Handler invocations beyond one per event: redeliveries the inbox absorbed. */
  readonly redeliveries: number;
  readonly strikes: number;
  readonly seconds: number;
}

/** Retries of the ledger consumer: generous, so a broker outage never dead-letters an event. */
export const LEDGER_RETRIES = { retryDelaysMs: [100, 500, 1_000], maxDeliveries: 50 } as const;

const ledgerTable = `CREATE TABLE ledger_effects (seq integer NOT NULL, event_id varchar(36) NOT NULL)`;

/** Opens (creating it when new) a ledger database: the messaging tables, plus the effects table for a consumer. */
export async function ledgerDatabase(file: string, consumer = false): Promise<DataSource> {
  const source = new DataSource(dataSourceOptions({ url: `sqlite:${file}`, entities: MESSAGING_ENTITIES, migrations: MESSAGING_MIGRATIONS }));
  await source.initialize();
  if (consumer) await source.query(ledgerTable.replace('CREATE TABLE', 'CREATE TABLE IF NOT EXISTS'));
  return source;
}

/** The consumer's handler: applies an event's effect once (inbox), counting deliveries and first applications. */
export function ledgerHandler(consumerDb: DataSource, group: string, counters: { deliveries: number; applied: number }) {
  return async ({ seq }: { seq: number }, envelope: Envelope): Promise<void> => {
    counters.deliveries += 1;
    const first = await Inbox.handleOnce(consumerDb, group, envelope, async (manager) => {
      await manager.query('INSERT INTO ledger_effects (seq, event_id) VALUES (?, ?)', [seq, envelope.id]);
    });
    if (first) counters.applied += 1;
  };
}

/**
 * Sends `events` events through outbox -> broker -> inbox: a producer database whose outbox the
 * {@link OutboxRelay} publishes from, and a consumer that applies each event in one transaction with its
 * inbox record. Effects go to a table without a unique key, so an event applied twice would show.
 * `chaos.strike` runs as the applied count passes each fraction. Resolves with what arrived.
 */
export async function runLedger(options: LedgerOptions): Promise<LedgerReport> {
  const started = performance.now();
  const dir = mkdtempSync(join(tmpdir(), 'nestkit-ledger-'));
  const producerDb = await ledgerDatabase(join(dir, 'producer.db'));
  const consumerDb = await ledgerDatabase(join(dir, 'consumer.db'), true);
  const publisherBus = options.bus();
  const consumerBus = options.bus();
  const relay = new OutboxRelay(producerDb, publisherBus, { intervalMs: 20, batchSize: 500, onError: () => undefined });
  const counters = { deliveries: 0, applied: 0 };
  try {
    consumerBus.subscribe(LedgerEntryRecorded, { group: options.group, ...LEDGER_RETRIES, handler: ledgerHandler(consumerDb, options.group, counters) });
    await consumerBus.start();
    const written = { count: 0 };
    relay.start();
    const writing = enqueueLedger(producerDb, options.events, options.writesPerSecond, written);
    const strikes = await watch(options, () => counters.applied, () => counters.deliveries, () => written.count);
    await writing;
    await settle(() => counters.deliveries);
    return { ...(await auditLedger(consumerDb, options.events)), redeliveries: counters.deliveries - options.events, strikes, seconds: Math.round((performance.now() - started) / 100) / 10 };
  } finally {
    await relay.stop();
    await Promise.allSettled([consumerBus.close(), publisherBus.close()]);
    await Promise.allSettled([producerDb.destroy(), consumerDb.destroy()]);
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Writes `events` ledger events into the producer's outbox: 1,000 per transaction at once, or 100 per
 * transaction at `perSecond`. `written.count` follows along.
 */
export async function enqueueLedger(producerDb: DataSource, events: number, perSecond?: number, written = { count: 0 }): Promise<void> {
  const size = perSecond ? 100 : 1_000;
  const started = performance.now();
  for (let from = 0; from < events; from += size) {
    const batch = Array.from({ length: Math.min(size, events - from) }, (_, i) =>
      createEnvelope(LedgerEntryRecorded, { seq: from + i }, { producer: 'ledger', key: String((from + i) % 16) }),
    );
    await inTransaction(producerDb, (manager) => Outbox.enqueue(manager, batch));
    written.count += batch.length;
    if (perSecond) {
      const due = started + (written.count / perSecond) * 1_000;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - performance.now())));
    }
  }
}

/** Waits until every event is applied (or the time is up), striking at each chaos fraction; returns the strikes made. */
async function watch(options: LedgerOptions, applied: () => number, invocations: () => number, written: () => number): Promise<number> {
  const deadline = Date.now() + options.timeoutMs;
  const pending = [...(options.chaos?.at ?? [])];
  let strikes = 0;
  let lastProgress = 0;
  while (applied() < options.events && Date.now() < deadline) {
    if (pending.length > 0 && written() >= (pending[0] as number) * options.events) {
      pending.shift();
      options.progress?.(`ledger: strike ${strikes + 1} at ${written()} written, ${applied()}/${options.events} applied`);
      await options.chaos?.strike(strikes);
      strikes += 1;
    }
    if (Date.now() - lastProgress > 2_000) {
      lastProgress = Date.now();
      options.progress?.(`ledger: ${written()} written, ${applied()}/${options.events} applied, ${invocations()} deliveries`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return strikes;
}

/** Waits until no delivery arrived for a second (at most 15 s), so late redeliveries are counted and audited too. */
async function settle(invocations: () => number): Promise<void> {
  const deadline = Date.now() + 15_000;
  let last = -1;
  while (invocations() !== last && Date.now() < deadline) {
    last = invocations();
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
}

/** Counts what the consumer applied: lost sequence numbers and events applied more than once. */
export async function auditLedger(consumerDb: DataSource, events: number): Promise<Pick<LedgerReport, 'events' | 'applied' | 'lost' | 'appliedTwice'>> {
  const rows: Array<{ seq: number; n: number }> = await consumerDb.query('SELECT seq, COUNT(*) AS n FROM ledger_effects GROUP BY seq');
  const seen = new Set(rows.map((row) => Number(row.seq)));
  const lost: number[] = [];
  for (let seq = 0; seq < events && lost.length < 20; seq += 1) if (!seen.has(seq)) lost.push(seq);
  return { events, applied: seen.size, lost, appliedTwice: rows.filter((row) => Number(row.n) > 1).length };
}
