import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { OutboxRelay } from '@nestkit/messaging';
import { infraUrls, uniqueName, waitFor } from '@nestkit/testing';
import { auditLedger, enqueueLedger, ledgerDatabase } from './ledger';
import { busFor } from './ledger-bus';

const EVENTS = 2_000;
const KILLS = 10;
const CONSUMER = resolve(__dirname, '../../dist/scripts/ledger/ledger-consumer.js');

/** Starts the consumer process and resolves once it is consuming. */
async function startConsumer(env: NodeJS.ProcessEnv): Promise<ChildProcess> {
  const child = spawn(process.execPath, [CONSUMER], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await new Promise<void>((ready, fail) => {
    child.stdout?.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && ready());
    child.once('exit', (code) => fail(new Error(`ledger consumer exited with ${code} before it was ready:\n${output}`)));
    setTimeout(() => fail(new Error(`ledger consumer not ready after 30 s:\n${output}`)), 30_000).unref();
  });
  return child;
}

describe('consumer killed with SIGKILL mid-batch', () => {
  it.each(['rabbitmq', 'kafka'] as const)(`loses nothing on %s when the consumer is killed ${KILLS} times`, async (kind) => {
    const dir = mkdtempSync(join(tmpdir(), 'nestkit-consumer-kill-'));
    const env = {
      LEDGER_KIND: kind,
      LEDGER_ADDRESS: kind === 'rabbitmq' ? infraUrls().rabbitmqUrl : (infraUrls().kafkaBrokers[0] as string),
      LEDGER_NAMESPACE: uniqueName('ledger'),
      LEDGER_GROUP: uniqueName('ledger-consumer'),
      LEDGER_DB: join(dir, 'consumer.db'),
      LEDGER_DELAY_MS: '5',
    };
    const producerDb = await ledgerDatabase(join(dir, 'producer.db'));
    const consumerDb = await ledgerDatabase(env.LEDGER_DB, true);
    const publisher = busFor(env);
    const relay = new OutboxRelay(producerDb, publisher, { intervalMs: 20, batchSize: 200 });
    let consumer = await startConsumer(env);
    try {
      await enqueueLedger(producerDb, EVENTS);
      relay.start();
      const applied = async () => Number((await consumerDb.query('SELECT COUNT(DISTINCT seq) AS n FROM ledger_effects'))[0].n);
      for (let kill = 0; kill < KILLS; kill += 1) {
        const before = await applied();
        // Kill only once this consumer has made progress, so every kill lands while it is handling a batch.
        await waitFor(async () => ((await applied()) > before ? true : undefined), { what: `progress before kill ${kill + 1}`, timeoutMs: 30_000 });
        consumer.kill('SIGKILL');
        await once(consumer, 'exit');
        consumer = await startConsumer(env);
      }
      await waitFor(async () => ((await applied()) === EVENTS ? true : undefined), { what: `all ${EVENTS} events applied`, timeoutMs: 120_000 });
      const report = await auditLedger(consumerDb, EVENTS);
      console.info(`consumer kills on ${kind}: ${JSON.stringify(report)}`);
      expect(report).toEqual({ events: EVENTS, applied: EVENTS, lost: [], appliedTwice: 0 });
    } finally {
      consumer.kill('SIGKILL');
      await relay.stop();
      await publisher.close();
      await Promise.allSettled([producerDb.destroy(), consumerDb.destroy()]);
      rmSync(dir, { recursive: true, force: true });
    }
  }, 240_000);
});
