import { TimeoutError, UnavailableError } from '@nestkit/errors';
import { DEFAULT_KAFKA_TIMEOUTS } from './kafka-bus.options';
import type { KafkaClient, KafkaConsumer } from './kafka.client';
import { within, withDeadlines } from './kafka-client.deadlines';

describe(within.name, () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('resolves with the result when it comes in time', async () => {
    await expect(within(Promise.resolve(42), 100, 'produce', 'timeouts.requestMs')).resolves.toBe(42);
  });

  it('rejects with a TimeoutError naming the operation and the option', async () => {
    const result = within(new Promise(() => undefined), 100, 'produce of 2 record(s)', 'timeouts.requestMs');
    const assertion = expect(result).rejects.toThrow(
      new TimeoutError('Kafka produce of 2 record(s) did not complete within 100 ms; check the brokers or raise timeouts.requestMs', 'messaging.kafka-timeout'),
    );
    await vi.advanceTimersByTimeAsync(100);
    await assertion;
  });

  it('turns a driver failure into a retryable UnavailableError that keeps the cause', async () => {
    const cause = new Error('ECONNREFUSED');
    const error = await within(Promise.reject(cause), 100, 'list topics', 'timeouts.requestMs').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnavailableError);
    expect(error).toMatchObject({ message: 'Kafka list topics failed: ECONNREFUSED', code: 'messaging.kafka-unavailable', retryable: true, cause });
  });
});

describe(withDeadlines.name, () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  const never = <T>() => new Promise<T>(() => undefined);

  it('bounds a produce by requestMs', async () => {
    const sut = withDeadlines({ produce: () => never<void>() } as unknown as KafkaClient, DEFAULT_KAFKA_TIMEOUTS);
    const assertion = expect(sut.produce([])).rejects.toBeInstanceOf(TimeoutError);
    await vi.advanceTimersByTimeAsync(DEFAULT_KAFKA_TIMEOUTS.requestMs);
    await assertion;
  });

  it('closes a consumer whose join completes after the deadline', async () => {
    let join!: (consumer: KafkaConsumer) => void;
    const late = { close: vi.fn(async () => undefined) };
    const client = { consume: () => new Promise<KafkaConsumer>((resolve) => (join = resolve)) } as unknown as KafkaClient;
    const sut = withDeadlines(client, DEFAULT_KAFKA_TIMEOUTS);
    const consuming = sut.consume({ groupId: 'g', topics: ['t'], onRecord: async () => undefined, onError: () => undefined });
    const assertion = expect(consuming).rejects.toThrow(/join of consumer group g did not complete within 70000 ms; check the brokers or raise timeouts.rebalanceMs/);
    await vi.advanceTimersByTimeAsync(DEFAULT_KAFKA_TIMEOUTS.rebalanceMs + DEFAULT_KAFKA_TIMEOUTS.requestMs);
    await assertion;
    join(late);
    await vi.advanceTimersByTimeAsync(0);
    expect(late.close).toHaveBeenCalledTimes(1);
  });

  it('bounds the commits the consumer hands to onRecord', async () => {
    let onRecord!: Parameters<KafkaClient['consume']>[0]['onRecord'];
    const client = {
      consume: async (options: Parameters<KafkaClient['consume']>[0]) => {
        onRecord = options.onRecord;
        return { close: async () => undefined };
      },
    } as unknown as KafkaClient;
    let commitResult: Promise<void> | undefined;
    const sut = withDeadlines(client, DEFAULT_KAFKA_TIMEOUTS);
    await sut.consume({
      groupId: 'g',
      topics: ['t'],
      onRecord: async (_record, commit) => {
        commitResult = commit();
        return undefined;
      },
      onError: () => undefined,
    });
    await onRecord({ topic: 't', partition: 2, offset: '5', key: null, value: null, headers: {} }, () => never<void>());
    const assertion = expect(commitResult).rejects.toThrow(/commit of t\/2@5 did not complete/);
    await vi.advanceTimersByTimeAsync(DEFAULT_KAFKA_TIMEOUTS.requestMs);
    await assertion;
  });
});
