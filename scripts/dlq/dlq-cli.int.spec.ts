import { createEnvelope, type Envelope, KafkaBus, type Publisher, RabbitMqBus, type Subscriber } from '@nestkit/messaging';
import { infraUrls, uniqueName, waitFor } from '@nestkit/testing';
import { z } from 'zod';
import { dlqMain } from './dlq-cli';

function capture() {
  const lines: string[] = [];
  const errors: string[] = [];
  return { lines, errors, io: { out: (line: string) => void lines.push(line), err: (line: string) => void errors.push(line) } };
}

type Bus = Publisher & Subscriber & { close(): Promise<void> };

describe('npm run dlq', () => {
  it.each(['rabbitmq', 'kafka'] as const)('lists, inspects and replays a dead letter on %s', async (backend) => {
    const namespace = uniqueName('dlq');
    const group = uniqueName('dlq-group');
    const contract = { type: `${namespace}.ticked`, version: 1, schema: z.object({ n: z.number() }) };
    const env = { RABBITMQ_URL: infraUrls().rabbitmqUrl, KAFKA_BROKERS: infraUrls().kafkaBrokers.join(',') };
    const bus: Bus =
      backend === 'rabbitmq'
        ? new RabbitMqBus({ url: env.RABBITMQ_URL, service: 'dlq-test', exchange: namespace, queuePrefix: `${namespace}.`, log: () => undefined })
        : new KafkaBus({ brokers: infraUrls().kafkaBrokers, service: 'dlq-test', topicPrefix: `${namespace}.`, timeouts: { sessionMs: 6_000, heartbeatMs: 500, fetchMaxWaitMs: 100 }, onError: () => undefined });
    const handled: Envelope[] = [];
    let healthy = false;
    bus.subscribe(contract, {
      group,
      maxDeliveries: 1,
      handler: async (_payload, envelope) => {
        if (!healthy) throw new Error('downstream is down');
        handled.push(envelope);
      },
    });
    const cli = (...args: string[]) => {
      const out = capture();
      return dlqMain([...args, '--backend', backend, '--namespace', namespace, '--groups', group], env, out.io).then((code) => ({ code, ...out }));
    };
    try {
      await bus.start();
      const envelope = createEnvelope(contract, { n: 7 }, { producer: 'dlq-test' });
      await bus.publish(envelope);
      const listed = await waitFor(async () => {
        const result = await cli('list', group);
        return result.lines.some((line) => line.startsWith(envelope.id)) ? result : undefined;
      }, { what: 'the dead letter to be listed', timeoutMs: 30_000, intervalMs: 500 });
      expect(listed.code).toBe(0);
      expect(listed.lines).toEqual([expect.stringMatching(new RegExp(`^${envelope.id}\\t${contract.type}\\thandler-failed\\tdeliveries=1\\t.+\\tdownstream is down$`))]);

      const queues = await cli('list');
      expect(queues.lines).toContainEqual(expect.stringMatching(new RegExp(`^${group}\\t1\\t`)));

      const inspected = await cli('inspect', group, envelope.id);
      expect(JSON.parse(inspected.lines.join('\n'))).toMatchObject({ group, reason: 'handler-failed', error: 'downstream is down', envelope: { id: envelope.id, payload: { n: 7 } } });

      healthy = true;
      const replayed = await cli('replay', group);
      expect(replayed).toMatchObject({ code: 0, lines: [`replayed 1 dead letter of ${group}`] });
      await waitFor(async () => (handled.length === 1 ? true : undefined), { what: 'the replayed message to be handled', timeoutMs: 30_000 });
      expect(handled[0]?.id).toBe(envelope.id);
      expect((await cli('list', group)).lines).toEqual([`no dead letters in ${group}`]);
    } finally {
      await bus.close();
    }
  }, 90_000);

  it('answers bad usage with 64 and the usage text, and an unreachable broker with 69', async () => {
    const usage = capture();
    expect(await dlqMain(['purge'], {}, usage.io)).toBe(64);
    expect(usage.errors.join('\n')).toContain('unknown command "purge"');
    expect(usage.errors.join('\n')).toContain('Usage: npm run dlq');
    const down = capture();
    expect(await dlqMain(['list', 'g'], { RABBITMQ_URL: 'amqp://u:secret@127.0.0.1:1' }, down.io)).toBe(69);
    expect(down.errors.join('\n')).toContain('RABBITMQ_URL');
    expect(down.errors.join('\n')).not.toContain('secret');
  });
});
