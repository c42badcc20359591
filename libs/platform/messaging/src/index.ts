export { type Causation, causedBy, createEnvelope, type Envelope, type EnvelopeOptions, type MessageIdentity } from './lib/envelope/envelope';
export type { DeadLetterAdmin, DeadLetterQueueInfo } from './lib/dead-letters';
export type { MessageContract, PayloadOf } from './lib/envelope/message-contract';
export { BusHub } from './lib/hub/bus.hub';
export { embeddedBus } from './lib/hub/embedded-bus';
export { HubBus } from './lib/hub/hub.bus';
export { BUS_CHANNEL } from './lib/hub/hub-protocol';
export { InMemoryBus, type InMemoryBusOptions } from './lib/in-memory/in-memory.bus';
export { InvalidMessageError, refusedUnless } from './lib/invalid-message.error';
export { AddInboxHandledAtIndex1732500000002 } from './lib/inbox/add-inbox-handled-at-index.migration';
export { CreateInboxTable1732500000001 } from './lib/inbox/create-inbox-table.migration';
export { MessagingHousekeeping } from './lib/housekeeping/messaging-housekeeping.service';
export { MESSAGE_TABLE_RETENTION, pruneExpired, RETENTION_TASKS, type RetentionTask } from './lib/housekeeping/retention.tasks';
export { Inbox } from './lib/inbox/inbox';
export { InboxMessage } from './lib/inbox/inbox-message.entity';
export { MESSAGING_ENTITIES, MESSAGING_MIGRATIONS } from './lib/messaging-schema';
export { MessagingModule } from './lib/messaging.module';
export {
  type BusOptions,
  MESSAGING_BACKENDS,
  MESSAGING_OPTIONS,
  type MessagingBackend,
  type MessagingModuleOptions,
  OUTBOX_PUBLISHER,
  PUBLISHER,
  STREAM_BACKENDS,
  STREAM_PUBLISHER,
  STREAM_SUBSCRIBER,
  type StreamOptions,
  SUBSCRIBER,
} from './lib/messaging.tokens';
export { type MessagingConfig, messagingConfigSchema, messagingOptions } from './lib/messaging.config';
export { FanOutPublisher } from './lib/fan-out.publisher';
export { type MessageSigner, SigningPublisher } from './lib/signing.publisher';
export { CreateOutboxTable1732500000000 } from './lib/outbox/create-outbox-table.migration';
export { Outbox } from './lib/outbox/outbox';
export { OutboxMessage } from './lib/outbox/outbox-message.entity';
export { OutboxRelay, type OutboxRelayOptions } from './lib/outbox/outbox.relay';
export { OutboxRelayService } from './lib/outbox-relay.service';
export { Poller, type PollerOptions } from './lib/poller';
export type { Publisher } from './lib/publisher';
export {
  type DeadLetter,
  type DeadLetterReason,
  DEFAULT_MAX_DELIVERIES,
  DEFAULT_RETRY_DELAYS_MS,
  type MessageHandler,
  type SubscribeOptions,
  type Subscriber,
  type Subscription,
} from './lib/subscriber';
// nest transport
export { MESSAGING_TRANSPORT, type MessagingHandlerOptions } from './lib/nest/handler-extras';
export { DEFAULT_REQUEST_TIMEOUT_MS, MessagingClient, type MessagingClientOptions } from './lib/nest/messaging.client';
export { MessagingContext } from './lib/nest/messaging.context';
export { MessagingExceptionFilter } from './lib/nest/messaging-exception.filter';
export { OnEvent, OnRequest } from './lib/nest/messaging-handler.decorators';
export { MessagingRecord, type MessagingRecordOptions } from './lib/nest/messaging.record';
export { MessagingTransport, type MessagingTransportOptions } from './lib/nest/messaging.transport';
export { RemoteHandlerError } from './lib/nest/remote-handler.error';
// kafka
export {
  DEFAULT_KAFKA_TIMEOUTS,
  KAFKA_CLIENTS,
  type KafkaBusOptions,
  type KafkaClientName,
  type KafkaConnectionOptions,
  type KafkaErrorContext,
  type KafkaTimeouts,
} from './lib/kafka/kafka-bus.options';
export { KafkaBus } from './lib/kafka/kafka.bus';
export { KafkaDeadLetterAdmin } from './lib/kafka/kafka-dead-letter.admin';
export { KAFKA_HEADERS } from './lib/kafka/kafka-record.codec';
// rabbitmq
export { DEFAULT_RABBITMQ_EXCHANGE, type RabbitMqBusOptions, type RabbitMqLogEntry } from './lib/rabbitmq/rabbitmq-bus.options';
export { RabbitMqBus } from './lib/rabbitmq/rabbitmq.bus';
export { RabbitMqDeadLetterAdmin, type RabbitMqDeadLetterAdminOptions } from './lib/rabbitmq/rabbitmq.dead-letter.admin';
export { RABBITMQ_HEADERS } from './lib/rabbitmq/rabbitmq.wire';
export { MessagingReadiness } from './lib/messaging.readiness';
