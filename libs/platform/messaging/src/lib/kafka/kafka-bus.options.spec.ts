import { DEFAULT_KAFKA_TIMEOUTS, resolveKafkaSettings } from './kafka-bus.options';

describe(resolveKafkaSettings.name, () => {
  const required = { brokers: ['127.0.0.1:19092'], service: 'orders' };

  it('fills in the defaults', () => {
    expect(resolveKafkaSettings(required)).toEqual({
      brokers: ['127.0.0.1:19092'],
      clientId: 'orders',
      client: 'platformatic',
      topicPrefix: '',
      partitions: 3,
      replicationFactor: 1,
      timeouts: DEFAULT_KAFKA_TIMEOUTS,
      onError: expect.any(Function),
    });
  });

  it('keeps what was given, timeouts merged with the defaults', () => {
    const onError = () => undefined;
    const sut = resolveKafkaSettings({ ...required, client: 'kafkajs', topicPrefix: 'dev.', partitions: 6, replicationFactor: 3, timeouts: { requestMs: 2_000 }, onError });
    expect(sut).toMatchObject({ client: 'kafkajs', topicPrefix: 'dev.', partitions: 6, replicationFactor: 3, onError });
    expect(sut.timeouts).toEqual({ ...DEFAULT_KAFKA_TIMEOUTS, requestMs: 2_000 });
  });

  it.each([
    [{ brokers: [] }, /KafkaBus: options.brokers must list at least one host:port, got \[\]/],
    [{ brokers: ['localhost'] }, /options.brokers must be host:port entries, got "localhost"/],
    [{ service: ' ' }, /options.service must be a non-empty name/],
    [{ client: 'rdkafka' }, /options.client must be one of kafkajs, platformatic, got "rdkafka"/],
    [{ topicPrefix: 'a/b' }, /options.topicPrefix may only contain/],
    [{ partitions: 0 }, /options.partitions must be an integer >= 1, got 0/],
    [{ replicationFactor: 1.5 }, /options.replicationFactor must be an integer >= 1, got 1.5/],
    [{ timeouts: { sessionMs: -1 } }, /options.timeouts.sessionMs must be a positive number of milliseconds, got -1/],
  ])('refuses %j with a message naming the option', (bad, message) => {
    expect(() => resolveKafkaSettings({ ...required, ...bad } as never)).toThrow(message);
  });

  it('names its owner in errors', () => {
    expect(() => resolveKafkaSettings({ ...required, partitions: 0 }, 'KafkaDeadLetterAdmin')).toThrow(/^KafkaDeadLetterAdmin: /);
  });

  it('warns through the process by default', () => {
    const emitWarning = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    resolveKafkaSettings(required).onError(new Error('commit failed'), { operation: 'deliver', group: 'g', topic: 't' });
    expect(emitWarning).toHaveBeenCalledWith('Kafka deliver g t: commit failed', 'NestkitKafka');
    emitWarning.mockRestore();
  });
});
