import type { Message } from '@platformatic/kafka';
import type { KafkaClientSettings, KafkaInboundRecord } from '../kafka.client';

/** A `@platformatic/kafka` message with string key, value and headers (the backend's deserializers). */
export type StringMessage = Message<string, string, string, string>;

/** Connection options every `@platformatic/kafka` client of the backend shares. */
export function baseOptions(settings: KafkaClientSettings): { clientId: string; bootstrapBrokers: string[]; connectTimeout: number; timeout: number } {
  return {
    clientId: settings.clientId,
    bootstrapBrokers: [...settings.brokers],
    connectTimeout: settings.timeouts.connectMs,
    timeout: settings.timeouts.requestMs,
  };
}

/** The port's view of a fetched message. */
export function toInboundRecord(message: StringMessage): KafkaInboundRecord {
  return {
    topic: message.topic,
    partition: message.partition,
    offset: String(message.offset),
    key: message.key ?? null,
    value: message.value ?? null,
    headers: Object.fromEntries(message.headers),
  };
}
