export { InMemoryBus, type InMemoryBusOptions } from './lib/in-memory/in-memory.bus';
export type { MessagingHarness, MessagingHarnessFactory } from './lib/testing/messaging.harness';
export { describePublisher } from './lib/testing/publisher.conformance';
export { RecordingPublisher } from './lib/testing/recording.publisher';
export { describeSubscriber } from './lib/testing/subscriber.conformance';
export { kafkaHarness, TEST_KAFKA_TIMEOUTS } from './lib/kafka/kafka.harness';
export { rabbitMqHarness } from './lib/rabbitmq/rabbitmq.harness';
