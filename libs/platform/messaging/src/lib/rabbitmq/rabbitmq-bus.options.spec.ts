import { redactUrl, resolveRabbitMqBusOptions } from './rabbitmq-bus.options';

describe(resolveRabbitMqBusOptions.name, () => {
  const required = { url: 'amqp://app:secret@rabbitmq:5672/prod', service: 'orders' };

  it('fills in the production defaults and names the connection after the service', () => {
    const sut = resolveRabbitMqBusOptions(required);
    expect(sut).toMatchObject({
      exchange: 'nestkit.events',
      queuePrefix: '',
      prefetch: 16,
      connectTimeoutMs: 10_000,
      publishTimeoutMs: 10_000,
      operationTimeoutMs: 5_000,
      closeTimeoutMs: 30_000,
      reconnect: { initialMs: 200, maxMs: 10_000 },
      safeUrl: 'amqp://app:***@rabbitmq:5672/prod',
    });
    expect(sut.connectionName).toMatch(new RegExp(`^orders@.+:${process.pid}$`));
  });

  it("treats MessagingClient's per-instance reply groups as transient by default", () => {
    const sut = resolveRabbitMqBusOptions(required);
    expect(sut.transientGroups('orders.replies.0b9e3a4c-5d6f-4a1b-8c2d-3e4f5a6b7c8d')).toBe(true);
    expect(sut.transientGroups('orders')).toBe(false);
    expect(sut.transientGroups('orders.replies')).toBe(false);
  });

  it('rejects a bad option with a message naming it', () => {
    expect(() => resolveRabbitMqBusOptions({ ...required, url: 'http://rabbitmq' })).toThrow(/url must be an amqp:\/\/ or amqps:\/\/ URL/);
    expect(() => resolveRabbitMqBusOptions({ ...required, service: ' ' })).toThrow(/service must name this service/);
    expect(() => resolveRabbitMqBusOptions({ ...required, exchange: '' })).toThrow(/exchange must not be empty/);
    expect(() => resolveRabbitMqBusOptions({ ...required, prefetch: 0 })).toThrow('RabbitMqBus: prefetch must be an integer >= 1, got 0');
    expect(() => resolveRabbitMqBusOptions({ ...required, publishTimeoutMs: 1.5 })).toThrow(/publishTimeoutMs must be an integer/);
    expect(() => resolveRabbitMqBusOptions({ ...required, reconnect: { initialMs: 500, maxMs: 100 } })).toThrow('RabbitMqBus: reconnect.maxMs must be an integer >= 500, got 100');
  });
});

describe(redactUrl.name, () => {
  it('hides the password and nothing else', () => {
    expect(redactUrl('amqps://user:p%40ss@host:5671/vh?heartbeat=10')).toBe('amqps://user:***@host:5671/vh?heartbeat=10');
    expect(redactUrl('amqp://host:5672')).toBe('amqp://host:5672');
    expect(redactUrl('amqp://user@host')).toBe('amqp://user@host');
  });
});
