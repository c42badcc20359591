// A ledger consumer in a process of its own, for tests that kill it with SIGKILL mid-batch:
// `node dist/scripts/ledger/ledger-consumer.js` with LEDGER_* in the environment (see busFor).
import { LEDGER_RETRIES, LedgerEntryRecorded, ledgerDatabase, ledgerHandler } from './ledger';
import { busFor } from './ledger-bus';

async function main(): Promise<void> {
  const group = process.env['LEDGER_GROUP'] as string;
  const delayMs = Number(process.env['LEDGER_DELAY_MS'] ?? 0);
  const db = await ledgerDatabase(process.env['LEDGER_DB'] as string, true);
  const bus = busFor(process.env);
  const apply = ledgerHandler(db, group, { deliveries: 0, applied: 0 });
  bus.subscribe(LedgerEntryRecorded, {
    group,
    ...LEDGER_RETRIES,
    handler: async (payload, envelope) => {
      // Keeps several messages in flight (prefetch), so a kill lands mid-batch.
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      await apply(payload, envelope);
    },
  });
  await bus.start();
  process.stdout.write('ledger-consumer: ready\n');
  process.once('SIGTERM', () => void bus.close().then(() => db.destroy()).then(() => process.exit(0)));
}

main().catch((error: unknown) => {
  process.stderr.write(`ledger-consumer: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
