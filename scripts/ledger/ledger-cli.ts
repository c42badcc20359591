// `npm run ledger -- <rabbitmq|kafka> [events] [platformatic|kafkajs]`: the full ledger proof (default
// 100,000 events, the broker killed with SIGKILL three times), printing progress and the counts.
import { KAFKA_CLIENTS, type KafkaClientName } from '@nestkit/messaging';
import { brokerLedger } from './broker-ledger';

async function main(): Promise<number> {
  const [kind, events = '100000', client = 'platformatic'] = process.argv.slice(2);
  if ((kind !== 'rabbitmq' && kind !== 'kafka') || !/^\d+$/.test(events) || !(KAFKA_CLIENTS as readonly string[]).includes(client)) {
    console.error('Usage: npm run ledger -- <rabbitmq|kafka> [events=100000] [platformatic|kafkajs]');
    return 64;
  }
  const report = await brokerLedger(kind, { events: Number(events), kafkaClient: client as KafkaClientName, writesPerSecond: 1_000, progress: (line) => console.log(line) });
  console.log(JSON.stringify(report));
  const ok = report.applied === report.events && report.appliedTwice === 0 && report.lost.length === 0;
  console.log(`${ok ? 'PASS' : 'FAIL'}: ${report.applied}/${report.events} applied, ${report.lost.length} lost, ${report.appliedTwice} applied twice, ${report.redeliveries} redeliveries, ${report.strikes} broker kills, ${report.seconds} s`);
  return ok ? 0 : 1;
}

main().then((code) => (process.exitCode = code));
