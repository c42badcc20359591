import { validationErrorFrom } from '@nestkit/errors';
import type { Envelope } from '../envelope/envelope';
import type { MessageContract } from '../envelope/message-contract';
import { InvalidMessageError } from '../invalid-message.error';
import type { DeadLetter, DeadLetterReason, MessageHandler } from '../subscriber';
import type { KafkaErrorContext } from './kafka-bus.options';
import type { KafkaInboundRecord, KafkaOutboundRecord, KafkaRecordOutcome } from './kafka.client';
import { deadLetterRecord, decodeEnvelope, deliveriesOf, fallbackEnvelope, notBeforeOf, retryRecord } from './kafka-record.codec';

const MAX_UNCOMMITTED = 1_000;

/** One subscription as its records are handled: contract, handler and retry policy, already validated. */
export interface KafkaRoute {
  readonly contract: MessageContract<unknown>;
  readonly group: string;
  readonly handler: MessageHandler<unknown>;
  readonly maxDeliveries: number;
  readonly retryDelaysMs: readonly number[];
  readonly retryTopic: string;
  readonly deadLetterTopic: string;
}

/** What a {@link KafkaRecordHandler} needs around it: a producer, the hooks and a clock. */
export interface KafkaRecordEnvironment {
  produce(records: readonly KafkaOutboundRecord[]): Promise<void>;
  readonly redeliveryBackoffMs: number;
  readonly onHandlerError?: (error: unknown, envelope: Envelope, group: string) => void;
  readonly onDeadLetter?: (deadLetter: DeadLetter) => void;
  readonly onError: (error: unknown, context: KafkaErrorContext) => void;
  now(): number;
}

/**
 * Handles the records of one subscription (from the type's topic and the subscription's retry topic):
 * - a retry that is not due yet is handed back with `retryAt`, so only its partition waits;
 * - a value that is not an envelope, or a payload that fails the contract, goes to the dead-letter topic at once;
 * - otherwise the handler runs; when it rejects, the message goes to the retry topic with its deliveries and a
 *   not-before time, or to the dead-letter topic after `maxDeliveries`;
 * - the offset is committed only after that (handled, or the retry/dead-letter produce acknowledged). When the
 *   produce fails, the record is handed back to be processed again after a back-off; when only the commit
 *   failed, it comes back to be committed, not handled again.
 */
export class KafkaRecordHandler {
  /** Records processed whose commit failed (usually none). */
  private readonly uncommitted = new Set<string>();

  constructor(
    private readonly route: KafkaRoute,
    private readonly env: KafkaRecordEnvironment,
  ) {}

  async onRecord(record: KafkaInboundRecord, commit: () => Promise<void>): Promise<KafkaRecordOutcome> {
    const notBefore = notBeforeOf(record);
    if (notBefore > this.env.now()) return { retryAt: notBefore };
    const id = `${record.topic}/${record.partition}@${record.offset}`;
    try {
      // Handled already, only its commit failed: commit again without handling it twice.
      if (!this.uncommitted.has(id)) await this.process(record);
      this.remember(id);
      await commit();
      this.uncommitted.delete(id);
      return undefined;
    } catch (error) {
      this.env.onError(error, { operation: 'deliver', group: this.route.group, topic: record.topic });
      return { retryAt: this.env.now() + this.env.redeliveryBackoffMs };
    }
  }

  private async process(record: KafkaInboundRecord): Promise<void> {
    const deliveries = deliveriesOf(record) + 1;
    let envelope: Envelope;
    try {
      envelope = decodeEnvelope(record);
    } catch (error) {
      return this.deadLetter(record, fallbackEnvelope(record), 'invalid-payload', messageOf(error), deliveries);
    }
    const parsed = this.route.contract.schema.safeParse(envelope.payload);
    if (!parsed.success) {
      const error = validationErrorFrom(parsed.error, `${envelope.type} payload`);
      return this.deadLetter(record, envelope, 'invalid-payload', error.message, deliveries);
    }
    try {
      // Through a promise chain, so a handler that throws synchronously is treated like one that rejects.
      await Promise.resolve().then(() => this.route.handler(parsed.data, { ...envelope, payload: parsed.data }));
    } catch (error) {
      if (error instanceof InvalidMessageError) return this.deadLetter(record, envelope, 'invalid-payload', error.message, deliveries);
      this.safely(() => this.env.onHandlerError?.(error, envelope, this.route.group));
      if (deliveries >= this.route.maxDeliveries) return this.deadLetter(record, envelope, 'handler-failed', messageOf(error), deliveries);
      const notBefore = this.env.now() + this.delayAfter(deliveries);
      await this.env.produce([retryRecord(record, this.route.retryTopic, { deliveries, notBefore, error: messageOf(error) })]);
    }
  }

  private async deadLetter(record: KafkaInboundRecord, envelope: Envelope, reason: DeadLetterReason, error: string, deliveries: number): Promise<void> {
    const deadLetter: DeadLetter = { envelope, group: this.route.group, reason, error, deliveries, deadLetteredAt: new Date(this.env.now()).toISOString() };
    await this.env.produce([deadLetterRecord(record, this.route.deadLetterTopic, deadLetter)]);
    this.safely(() => this.env.onDeadLetter?.(deadLetter));
  }

  /** Bounded: a partition that moved to another member may never bring its record back here. */
  private remember(id: string): void {
    this.uncommitted.add(id);
    if (this.uncommitted.size > MAX_UNCOMMITTED) this.uncommitted.delete(this.uncommitted.values().next().value as string);
  }

  /** Delay before delivery n+1 after failed delivery n; the last configured delay repeats. */
  private delayAfter(deliveries: number): number {
    const delays = this.route.retryDelaysMs;
    return delays[Math.min(deliveries - 1, delays.length - 1)];
  }

  private safely(hook: () => void): void {
    try {
      hook();
    } catch (error) {
      this.env.onError(error, { operation: 'hook', group: this.route.group });
    }
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
