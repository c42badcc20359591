import { EventEmitter } from 'node:events';
import { TimeoutError, UnavailableError } from '@nestkit/errors';
import type { ConfirmChannel } from 'amqplib';
import { type ConfirmTarget, type OutgoingMessage, publishConfirmed } from './confirmed.publish';
import { trackReturns } from './rabbitmq.session';

type Callback = (error: unknown) => void;

/** A confirm channel that records publishes and lets the test confirm, nack or refuse them. */
class FakeConfirmChannel extends EventEmitter {
  readonly published: { routingKey: string; callback: Callback }[] = [];
  accepting = true;
  closed = false;

  publish(_exchange: string, routingKey: string, _content: Buffer, _options: unknown, callback: Callback): boolean {
    if (this.closed) throw new Error('Channel closed');
    this.published.push({ routingKey, callback });
    return this.accepting;
  }
}

const message = (routingKey: string, mandatory = false): OutgoingMessage => ({
  exchange: mandatory ? '' : 'events',
  routingKey,
  content: Buffer.from('{}'),
  options: { messageId: `id-${routingKey}`, mandatory },
});

const settled = async (promise: Promise<unknown>) => {
  let state = 'pending';
  promise.then(() => (state = 'resolved'), () => (state = 'rejected'));
  await new Promise((resolve) => setImmediate(resolve));
  return state;
};

describe(publishConfirmed.name, () => {
  let channel: FakeConfirmChannel;
  let target: ConfirmTarget;

  beforeEach(() => {
    channel = new FakeConfirmChannel();
    target = { publishing: channel as unknown as ConfirmChannel, returns: new Map() };
    trackReturns(target.publishing, target.returns);
  });
  afterEach(() => vi.useRealTimers());

  it('resolves only once the broker confirmed every message', async () => {
    const sut = publishConfirmed(target, [message('a'), message('b')], 1_000, 'amqp://broker');
    await settled(sut);
    channel.published[1].callback(null);
    expect(await settled(sut)).toBe('pending');
    channel.published[0].callback(null);
    expect(await settled(sut)).toBe('resolved');
  });

  it('waits for drain before publishing more when the channel buffer is full', async () => {
    channel.accepting = false;
    const sut = publishConfirmed(target, [message('a'), message('b')], 1_000, 'amqp://broker');
    await settled(sut);
    expect(channel.published.map((p) => p.routingKey)).toEqual(['a']);
    channel.accepting = true;
    channel.emit('drain');
    await settled(sut);
    expect(channel.published.map((p) => p.routingKey)).toEqual(['a', 'b']);
    for (const published of channel.published) published.callback(null);
    await expect(sut).resolves.toBeUndefined();
  });

  it('rejects, retryably, a message the broker nacked', async () => {
    const sut = publishConfirmed(target, [message('a')], 1_000, 'amqp://broker');
    channel.published[0].callback(new Error('message nacked'));
    const error = await sut.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnavailableError);
    expect(error).toMatchObject({ code: 'messaging.publish-failed', retryable: true });
    expect((error as Error).message).toBe(
      'message id-a to exchange events (routing key a) was not confirmed by RabbitMQ at amqp://broker: message nacked. It may not have been stored; publish again.',
    );
  });

  it('rejects a mandatory message the broker returned as unroutable, though it confirms it', async () => {
    const sut = publishConfirmed(target, [message('billing.dlq', true)], 1_000, 'amqp://broker');
    channel.emit('return', { fields: { routingKey: 'billing.dlq' }, properties: { messageId: 'id-billing.dlq' } });
    channel.published[0].callback(null);
    await expect(sut).rejects.toMatchObject({ code: 'messaging.publish-unroutable', message: expect.stringContaining('queue "billing.dlq" does not exist') });
    expect(target.returns.size).toBe(0);
  });

  it('rejects at once on a closed channel', async () => {
    channel.closed = true;
    await expect(publishConfirmed(target, [message('a')], 1_000, 'amqp://broker')).rejects.toMatchObject({
      code: 'messaging.publish-failed',
      message: expect.stringContaining('Channel closed'),
    });
  });

  it('rejects when the confirm does not arrive within the timeout', async () => {
    vi.useFakeTimers();
    const sut = publishConfirmed(target, [message('a')], 500, 'amqp://broker');
    const outcome = sut.catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(499);
    expect(await Promise.race([outcome, Promise.resolve('pending')])).toBe('pending');
    await vi.advanceTimersByTimeAsync(1);
    const error = await outcome;
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as Error).message).toBe('1 message(s) were not confirmed by RabbitMQ at amqp://broker within 500 ms; publish again');
  });
});
