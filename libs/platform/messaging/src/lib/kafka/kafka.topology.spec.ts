import { KafkaTopology } from './kafka.topology';

describe(KafkaTopology.name, () => {
  const sut = new KafkaTopology('staging.');

  it('names topics and groups under the prefix', () => {
    expect(sut.topic('orders.order-placed')).toBe('staging.orders.order-placed');
    expect(sut.retryTopic('catalog', 'orders.order-placed')).toBe('staging.catalog.orders.order-placed.retry');
    expect(sut.deadLetterTopic('catalog')).toBe('staging.catalog.dlt');
    expect(sut.groupId('catalog', 'orders.order-placed')).toBe('staging.catalog.orders.order-placed');
    expect(sut.replayerGroupId('catalog')).toBe('staging.catalog.dlt.replayer');
  });

  it('finds the group of a dead-letter topic under its prefix only', () => {
    expect(sut.groupOfDeadLetterTopic('staging.catalog.dlt')).toBe('catalog');
    expect(sut.groupOfDeadLetterTopic('prod.catalog.dlt')).toBeUndefined();
    expect(sut.groupOfDeadLetterTopic('staging.orders.order-placed')).toBeUndefined();
    expect(sut.groupOfDeadLetterTopic('staging.dlt')).toBeUndefined();
  });

  it('refuses names Kafka would reject, naming where they come from', () => {
    expect(() => sut.topic('orders/placed')).toThrow(/"staging.orders\/placed" \(from message type "orders\/placed"\) is not a legal/);
    expect(() => sut.deadLetterTopic('my group')).toThrow(/from group "my group"/);
    expect(() => sut.topic('x'.repeat(250))).toThrow(/at most 249 characters/);
  });
});
