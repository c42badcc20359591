import { observeWithExemplar, platformMetrics, secondsSince } from '@nestkit/metrics';
import { contextFrom, failSpan, inSpan, linkTo, sampledTraceId, SpanKind, tracer } from '@nestkit/tracing';
import { context, type Link, trace } from '@opentelemetry/api';
import { type Envelope, traceCarrierOf } from './envelope/envelope';
import type { MessageContract } from './envelope/message-contract';
import type { Publisher } from './publisher';
import type { SubscribeOptions, Subscriber, Subscription } from './subscriber';

/** `messaging.system` of a backend, after the OpenTelemetry conventions (`in-memory` for the embedded bus). */
export type MessagingSystem = 'rabbitmq' | 'kafka' | 'in-memory';

type Backend = Publisher & Subscriber;

function published() {
  return platformMetrics.counter({ name: 'nestkit_messages_published_total', help: 'Messages the broker accepted, by type and messaging system.', labelNames: ['type', 'system'] });
}

function publishFailures() {
  return platformMetrics.counter({ name: 'nestkit_messages_publish_failed_total', help: 'Messages whose publish the broker refused or did not confirm, by type and messaging system.', labelNames: ['type', 'system'] });
}

function consumed() {
  return platformMetrics.counter({
    name: 'nestkit_messages_consumed_total',
    help: 'Deliveries handled, by type, consumer group and outcome (handled, failed: retried or dead-lettered by the backend).',
    labelNames: ['type', 'group', 'outcome'],
  });
}

function handlerDuration() {
  return platformMetrics.histogram({ name: 'nestkit_message_handler_duration_seconds', help: 'Time a message handler took, by type and consumer group.', labelNames: ['type', 'group'] });
}

/**
 * A bus or stream backend with tracing and metrics, so no app instruments its own messaging:
 * - `publish` runs in a PRODUCER span (`publish <type>`) linked to the context each envelope carries (the
 *   request or handler that created it, possibly long ago through the outbox), and counts what was accepted;
 * - every delivery runs its handler in a CONSUMER span (`process <type>`), a child of the envelope's
 *   context, so the handler's log lines, queries and the messages it sends join the producer's trace.
 */
export class TracedBackend implements Publisher, Subscriber {
  private readonly published = published();
  private readonly publishFailures = publishFailures();
  private readonly consumed = consumed();
  private readonly duration = handlerDuration();

  constructor(
    private readonly inner: Backend,
    private readonly system: MessagingSystem,
  ) {}

  /** The backend this one instruments. */
  unwrap(): Backend {
    return this.inner;
  }

  publish(envelopes: Envelope | readonly Envelope[]): Promise<void> {
    const batch: readonly Envelope[] = Array.isArray(envelopes) ? envelopes : [envelopes as Envelope];
    if (batch.length === 0) return this.inner.publish(batch);
    const types = [...new Set(batch.map((envelope) => envelope.type))];
    const links = batch.map((envelope) => linkTo(traceCarrierOf(envelope), { 'messaging.message.id': envelope.id })).filter((link): link is Link => link !== undefined);
    return inSpan(
      `publish ${types.length === 1 ? types[0] : `${types.length} types`}`,
      {
        kind: SpanKind.PRODUCER,
        links,
        attributes: {
          'messaging.system': this.system,
          'messaging.operation.type': 'send',
          'messaging.operation.name': 'publish',
          'messaging.batch.message_count': batch.length,
          ...(types.length === 1 ? { 'messaging.destination.name': types[0] } : {}),
          ...(batch.length === 1 ? { 'messaging.message.id': batch[0]?.id } : {}),
        },
      },
      async () => {
        try {
          await this.inner.publish(envelopes);
        } catch (error) {
          for (const envelope of batch) this.publishFailures.inc({ type: envelope.type, system: this.system });
          throw error;
        }
        for (const envelope of batch) this.published.inc({ type: envelope.type, system: this.system });
      },
    );
  }

  subscribe<T>(contract: MessageContract<T>, options: SubscribeOptions<T>): Subscription {
    const { system } = this;
    const group = options.group;
    const handler = options.handler;
    const labels = { type: contract.type, group };
    return this.inner.subscribe(contract, {
      ...options,
      handler: (payload, envelope) => {
        const parent = contextFrom(traceCarrierOf(envelope));
        const span = tracer().startSpan(
          `process ${contract.type}`,
          {
            kind: SpanKind.CONSUMER,
            attributes: {
              'messaging.system': system,
              'messaging.operation.type': 'process',
              'messaging.destination.name': contract.type,
              'messaging.consumer.group.name': group,
              'messaging.message.id': envelope.id,
              'messaging.message.conversation_id': envelope.correlationId,
              'nestkit.message.producer': envelope.producer,
            },
          },
          parent,
        );
        const started = process.hrtime.bigint();
        // A handler that throws before its first await still ends the span and fails the delivery.
        return context.with(trace.setSpan(parent, span), () => new Promise<void>((resolve) => resolve(handler(payload, envelope)))).then(
          () => {
            this.consumed.inc({ ...labels, outcome: 'handled' });
            observeWithExemplar(this.duration, labels, secondsSince(started), sampledTraceId(span.spanContext()));
            span.end();
          },
          (error: unknown) => {
            this.consumed.inc({ ...labels, outcome: 'failed' });
            observeWithExemplar(this.duration, labels, secondsSince(started), sampledTraceId(span.spanContext()));
            failSpan(span, error);
            span.end();
            throw error;
          },
        );
      },
    });
  }

  start(): Promise<void> {
    return this.inner.start();
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
