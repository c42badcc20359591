import { z } from 'zod';
import { createEnvelope, type Envelope } from '../envelope/envelope';
import { InvalidMessageError } from '../invalid-message.error';
import type { DeadLetter, MessageHandler } from '../subscriber';
import type { KafkaInboundRecord, KafkaOutboundRecord } from './kafka.client';
import { encodeEnvelope, retryRecord } from './kafka-record.codec';
import { KafkaRecordHandler, type KafkaRecordEnvironment } from './kafka-record.handler';

const Pinged = { type: 'test.pinged', version: 1, schema: z.object({ n: z.number() }) } as const;
const T0 = Date.parse('2025-01-01T10:00:00.000Z');

describe(KafkaRecordHandler.name, () => {
  let clock: number;
  let produced: KafkaOutboundRecord[];
  let commits: string[];
  let env: KafkaRecordEnvironment & { errors: unknown[]; deadLetters: DeadLetter[]; handlerErrors: unknown[] };
  let handler: ReturnType<typeof vi.fn<MessageHandler<{ n: number }>>>;
  let sut: KafkaRecordHandler;

  const route = (overrides: Partial<ConstructorParameters<typeof KafkaRecordHandler>[0]> = {}) => ({
    contract: Pinged,
    group: 'g',
    handler: handler as MessageHandler<unknown>,
    maxDeliveries: 3,
    retryDelaysMs: [100, 1_000],
    retryTopic: 'g.test.pinged.retry',
    deadLetterTopic: 'g.dlt',
    ...overrides,
  });
  const record = (envelope: Envelope, offset = '0'): KafkaInboundRecord => ({ ...encodeEnvelope(envelope, 'test.pinged'), partition: 0, offset });
  const ping = (n: number) => createEnvelope(Pinged, { n }, { producer: 'test', key: 'k', now: new Date(T0) });
  const deliver = (r: KafkaInboundRecord) => sut.onRecord(r, async () => void commits.push(r.offset));
  const asRead = (r: KafkaOutboundRecord, offset = '9'): KafkaInboundRecord => ({ ...r, partition: 0, offset });

  beforeEach(() => {
    clock = T0;
    produced = [];
    commits = [];
    handler = vi.fn<MessageHandler<{ n: number }>>(async () => undefined);
    const errors: unknown[] = [];
    const deadLetters: DeadLetter[] = [];
    const handlerErrors: unknown[] = [];
    env = {
      errors,
      deadLetters,
      handlerErrors,
      produce: async (records) => void produced.push(...records),
      redeliveryBackoffMs: 500,
      onHandlerError: (error) => handlerErrors.push(error),
      onDeadLetter: (deadLetter) => deadLetters.push(deadLetter),
      onError: (error) => errors.push(error),
      now: () => clock,
    };
    sut = new KafkaRecordHandler(route(), env);
  });

  it('hands the parsed payload and the envelope to the handler, then commits', async () => {
    const envelope = ping(1);
    await expect(deliver(record(envelope, '4'))).resolves.toBeUndefined();
    expect(handler).toHaveBeenCalledWith({ n: 1 }, envelope);
    expect(commits).toEqual(['4']);
    expect(produced).toEqual([]);
  });

  it('sends a failed message to the retry topic with its deliveries and not-before time, then commits', async () => {
    handler.mockRejectedValueOnce(new Error('boom'));
    await deliver(record(ping(1)));
    expect(produced).toMatchObject([{ topic: 'g.test.pinged.retry', key: 'k', headers: { deliveries: '1', 'not-before': String(T0 + 100), error: 'boom' } }]);
    expect(commits).toEqual(['0']);
    expect(env.handlerErrors).toEqual([new Error('boom')]);
  });

  it('holds a retry until its not-before time, without running the handler or committing', async () => {
    const retry = asRead(retryRecord(record(ping(1)), 'g.test.pinged.retry', { deliveries: 1, notBefore: T0 + 100, error: 'boom' }));
    await expect(deliver(retry)).resolves.toEqual({ retryAt: T0 + 100 });
    expect(handler).not.toHaveBeenCalled();
    expect(commits).toEqual([]);
    clock = T0 + 100;
    await expect(deliver(retry)).resolves.toBeUndefined();
    expect(handler).toHaveBeenCalledTimes(1);
  });

  it('uses the next delay after each failed delivery, repeating the last one', async () => {
    handler.mockRejectedValue(new Error('boom'));
    sut = new KafkaRecordHandler(route({ maxDeliveries: 5 }), env);
    let current = record(ping(1));
    for (let i = 0; i < 3; i += 1) {
      clock = Number(current.headers['not-before'] ?? T0);
      await deliver(current);
      current = asRead(produced[produced.length - 1]);
    }
    expect(produced.map((r) => Number(r.headers['not-before']) - T0)).toEqual([100, 1_100, 2_100]);
  });

  it('dead-letters after maxDeliveries with the last error', async () => {
    handler.mockRejectedValue(new Error('still down'));
    clock = T0 + 5_000;
    const third = asRead(retryRecord(record(ping(7)), 'g.test.pinged.retry', { deliveries: 2, notBefore: T0, error: 'x' }));
    await deliver(third);
    expect(produced).toMatchObject([{ topic: 'g.dlt', headers: { reason: 'handler-failed', error: 'still down', deliveries: '3', group: 'g' } }]);
    expect(env.deadLetters).toMatchObject([{ group: 'g', reason: 'handler-failed', error: 'still down', deliveries: 3, envelope: { payload: { n: 7 } } }]);
    expect(env.deadLetters[0].deadLetteredAt).toBe(new Date(T0 + 5_000).toISOString());
    expect(commits).toEqual(['9']);
  });

  it('dead-letters a payload that fails the contract at once, without calling the handler', async () => {
    await deliver(record({ ...ping(1), payload: { n: 'one' } } as unknown as Envelope));
    expect(handler).not.toHaveBeenCalled();
    expect(env.deadLetters).toMatchObject([{ reason: 'invalid-payload', deliveries: 1, error: expect.stringContaining('n') }]);
    expect(commits).toEqual(['0']);
  });

  it('dead-letters a value that is not an envelope', async () => {
    await deliver({ topic: 'test.pinged', partition: 0, offset: '2', key: null, value: 'garbage', headers: {} });
    expect(env.deadLetters).toMatchObject([{ reason: 'invalid-payload', error: expect.stringContaining('is not JSON'), envelope: { id: 'test.pinged/0@2' } }]);
  });

  it('dead-letters at once when the handler throws InvalidMessageError', async () => {
    handler.mockRejectedValue(new InvalidMessageError('unknown product'));
    await deliver(record(ping(1)));
    expect(env.deadLetters).toMatchObject([{ reason: 'invalid-payload', error: 'unknown product', deliveries: 1 }]);
    expect(env.handlerErrors).toEqual([]);
  });

  it('treats a handler that throws synchronously like one that rejects', async () => {
    handler.mockImplementation((() => {
      throw new Error('sync boom');
    }) as never);
    await deliver(record(ping(1)));
    expect(produced).toMatchObject([{ topic: 'g.test.pinged.retry', headers: { error: 'sync boom' } }]);
  });

  it('does not commit when the retry cannot be produced, and asks for the record again after the back-off', async () => {
    handler.mockRejectedValue(new Error('boom'));
    env.produce = async () => Promise.reject(new Error('broker down'));
    await expect(deliver(record(ping(1)))).resolves.toEqual({ retryAt: T0 + 500 });
    expect(commits).toEqual([]);
    expect(env.errors).toEqual([new Error('broker down')]);
  });

  it('asks for the record again when its commit fails, then commits it without handling it twice', async () => {
    const r = record(ping(1));
    await expect(sut.onRecord(r, async () => Promise.reject(new Error('rebalancing')))).resolves.toEqual({ retryAt: T0 + 500 });
    expect(env.errors).toEqual([new Error('rebalancing')]);
    await expect(deliver(r)).resolves.toBeUndefined();
    expect(handler).toHaveBeenCalledTimes(1);
    expect(commits).toEqual(['0']);
    await deliver(r);
    expect(handler).toHaveBeenCalledTimes(2);
  });

  it('survives a hook that throws', async () => {
    env = { ...env, onDeadLetter: () => { throw new Error('bad hook'); } };
    sut = new KafkaRecordHandler(route({ maxDeliveries: 1 }), env);
    handler.mockRejectedValue(new Error('boom'));
    await expect(deliver(record(ping(1)))).resolves.toBeUndefined();
    expect(commits).toEqual(['0']);
    expect(env.errors).toEqual([new Error('bad hook')]);
  });
});
