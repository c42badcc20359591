import type { Envelope } from './envelope/envelope';

/**
 * Sends envelopes to the bus. `publish` resolves only once the backend has durably accepted every
 * envelope (in memory: queued; RabbitMQ: publisher confirm; Kafka: acks=all) and rejects otherwise, so
 * the outbox relay can mark rows published only after this promise resolves.
 */
export interface Publisher {
  publish(envelopes: Envelope | readonly Envelope[]): Promise<void>;
}
