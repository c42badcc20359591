import { type DeadLetterAdmin, KafkaDeadLetterAdmin, messagingConfigSchema, RabbitMqDeadLetterAdmin } from '@nestkit/messaging';
import { parseArgs } from 'node:util';

/** The consumer groups of the sample services, listed by `dlq list` when `--groups` does not name others. */
export const SAMPLE_GROUPS = ['catalog.stock-reservation', 'catalog.stock-release', 'orders.order-saga', 'notifications.order-events'];

export const USAGE = `Usage: npm run dlq -- <command> [options]

Commands:
  list                 dead-letter queues and how many messages each holds
  list <group>         the dead letters of one consumer group (oldest first; nothing is removed)
  inspect <group> <id> one dead letter in full: envelope, reason, last error, deliveries (as JSON)
  replay <group>       send a group's dead letters back for a fresh set of deliveries

Options:
  --backend <name>     rabbitmq (default; RABBITMQ_URL) or kafka (KAFKA_BROKERS, KAFKA_CLIENT)
  --ids <id,id,...>    replay only these envelope ids
  --limit <n>          list at most n dead letters (default 100)
  --groups <g,g,...>   RabbitMQ: the groups whose queues "list" reports (default: the sample services')
  --namespace <ns>     the services' MESSAGING_NAMESPACE (default: that variable, else none)

Exit codes: 0 done, 64 bad usage, 69 broker unreachable.`;

/** Where the CLI writes, so tests can capture it. */
export interface CliOutput {
  out(line: string): void;
  err(line: string): void;
}

class UsageError extends Error {}

function adminFor(backend: string, groups: readonly string[], namespace: string | undefined, env: NodeJS.ProcessEnv): DeadLetterAdmin {
  const config = messagingConfigSchema.parse({
    RABBITMQ_URL: env['RABBITMQ_URL'],
    KAFKA_BROKERS: env['KAFKA_BROKERS'],
    KAFKA_CLIENT: env['KAFKA_CLIENT'],
    MESSAGING_NAMESPACE: namespace ?? env['MESSAGING_NAMESPACE'],
  });
  const prefix = config.MESSAGING_NAMESPACE ? `${config.MESSAGING_NAMESPACE}.` : '';
  if (backend === 'rabbitmq') return new RabbitMqDeadLetterAdmin({ url: config.RABBITMQ_URL, groups, queuePrefix: prefix, connectionName: 'nestkit-dlq-cli' });
  if (backend === 'kafka') return new KafkaDeadLetterAdmin({ brokers: config.KAFKA_BROKERS, service: 'nestkit-dlq-cli', client: config.KAFKA_CLIENT, topicPrefix: prefix });
  throw new UsageError(`--backend must be rabbitmq or kafka, got "${backend}"`);
}

async function run(admin: DeadLetterAdmin, command: string, [group, id]: Array<string | undefined>, values: { ids?: string; limit?: string }, io: CliOutput): Promise<void> {
  if (command === 'list' && !group) {
    const queues = await admin.queues();
    if (queues.length === 0) io.out('no dead-letter queues');
    for (const queue of queues) io.out(`${queue.group}\t${queue.count}\t${queue.location}`);
    return;
  }
  if (!group) throw new UsageError(`${command} needs a consumer group`);
  if (command === 'inspect') {
    if (!id) throw new UsageError('inspect needs a consumer group and an envelope id (see "list <group>")');
    const letter = (await admin.list(group, 10_000)).find((candidate) => candidate.envelope.id === id);
    if (!letter) throw new UsageError(`no dead letter with id ${id} in ${group}`);
    io.out(JSON.stringify(letter, null, 2));
    return;
  }
  if (id !== undefined) throw new UsageError(`unexpected argument "${id}"`);
  if (command === 'list') {
    const limit = values.limit === undefined ? 100 : Number(values.limit);
    if (!Number.isSafeInteger(limit) || limit < 1) throw new UsageError(`--limit must be a positive whole number, got "${values.limit}"`);
    const letters = await admin.list(group, limit);
    if (letters.length === 0) io.out(`no dead letters in ${group}`);
    for (const letter of letters) {
      io.out(`${letter.envelope.id}\t${letter.envelope.type}\t${letter.reason}\tdeliveries=${letter.deliveries}\t${letter.deadLetteredAt}\t${letter.error}`);
    }
    return;
  }
  const ids = values.ids?.split(',').map((id) => id.trim()).filter(Boolean);
  const replayed = await admin.replay(group, ids ? { ids } : undefined);
  io.out(`replayed ${replayed} dead letter${replayed === 1 ? '' : 's'} of ${group}`);
}

/** Runs `npm run dlq -- <argv>`; resolves with the exit code. */
export async function dlqMain(argv: readonly string[], env: NodeJS.ProcessEnv, io: CliOutput): Promise<number> {
  let admin: DeadLetterAdmin | undefined;
  try {
    const { positionals, values } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        backend: { type: 'string', default: 'rabbitmq' },
        ids: { type: 'string' },
        limit: { type: 'string' },
        groups: { type: 'string' },
        namespace: { type: 'string' },
        help: { type: 'boolean' },
      },
    });
    const [command, group, id, extra] = positionals;
    if (values.help) return io.out(USAGE), 0;
    if (command !== 'list' && command !== 'replay' && command !== 'inspect') throw new UsageError(command ? `unknown command "${command}"` : 'no command given');
    if (extra !== undefined) throw new UsageError(`unexpected argument "${extra}"`);
    const groups = values.groups?.split(',').map((g) => g.trim()).filter(Boolean) ?? SAMPLE_GROUPS;
    admin = adminFor(values.backend, groups, values.namespace, env);
    await run(admin, command, [group, id], values, io);
    return 0;
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.err(`dlq: ${(error as Error).message}\n\n${USAGE}`);
      return 64;
    }
    if ((error as { name?: string }).name === 'ZodError') {
      io.err(`dlq: bad broker settings in the environment: ${(error as Error).message}`);
      return 64;
    }
    io.err(`dlq: ${(error as Error).message}\nIs the broker running and RABBITMQ_URL / KAFKA_BROKERS right? (npm run infra:up starts local ones)`);
    return 69;
  } finally {
    await admin?.close().catch(() => undefined);
  }
}
