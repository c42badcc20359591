import { groupQueues } from './rabbitmq.topology';

describe(groupQueues.name, () => {
  it('names the main, delay and dead-letter queues after the group', () => {
    const sut = groupQueues('staging.', 'billing');
    expect([sut.main, sut.retry(200), sut.deadLetters]).toEqual(['staging.billing', 'staging.billing.retry.200', 'staging.billing.dlq']);
  });

  it('refuses groups whose names would collide with its own queues, or not fit AMQP', () => {
    expect(() => groupQueues('', ' ')).toThrow(/must not be empty/);
    expect(() => groupQueues('', 'billing.dlq')).toThrow(/"billing.dlq" must not end with ".dlq"/);
    expect(() => groupQueues('', 'a.retry.5')).toThrow(/contain ".retry."/);
    expect(() => groupQueues('', 'x'.repeat(240))).toThrow(/too long/);
  });
});
