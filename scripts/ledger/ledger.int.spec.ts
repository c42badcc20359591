import { brokerLedger } from './broker-ledger';

// Scaled down for the default run; `npm run ledger -- rabbitmq 100000` (and `kafka`) is the full proof.
const EVENTS = Number(process.env['LEDGER_EVENTS'] ?? 3_000);

describe('ledger: outbox -> broker -> inbox while the broker is killed with SIGKILL three times', () => {
  it.each([
    ['rabbitmq', undefined],
    ['kafka', 'platformatic'],
  ] as const)(`loses nothing and applies nothing twice on %s (${EVENTS} events)`, async (kind, kafkaClient) => {
    const report = await brokerLedger(kind, { events: EVENTS, kafkaClient, progress: (line) => console.info(line) });
    console.info(`ledger ${kind}: ${JSON.stringify(report)}`);
    expect(report).toMatchObject({ events: EVENTS, applied: EVENTS, lost: [], appliedTwice: 0, strikes: 3 });
  }, 300_000);
});
