import { isBusinessError, validationErrorFrom } from '@nestkit/errors';
import { Logger } from '@nestjs/common';
import { type CustomTransportStrategy, type MessageHandler, Server } from '@nestjs/microservices';
import { lastValueFrom } from 'rxjs';
import { causedBy, createEnvelope, type Envelope } from '../envelope/envelope';
import type { MessageContract } from '../envelope/message-contract';
import type { Publisher } from '../publisher';
import type { Subscriber, Subscription } from '../subscriber';
import { ContractRegistry } from './contract-registry';
import { MESSAGING_TRANSPORT } from './handler-extras';
import { MessagingContext } from './messaging.context';
import { type ReplyPayload, replyContract, requestContract, type RequestPayload } from './request-reply.protocol';
import { type PlannedSubscription, planSubscriptions, type RegisteredHandler } from './subscription-plan';
import { asError, toWireError } from './wire-error';

/** Options of {@link MessagingTransport}. */
export interface MessagingTransportOptions {
  /** Delivers the messages; the transport subscribes one consumer group per handler. */
  subscriber: Subscriber;
  /** Sends the replies of request handlers. */
  publisher: Publisher;
  /** This service's name: the prefix of every consumer group and the `producer` of replies. */
  service: string;
  /** Contracts of the patterns handled with plain `@EventPattern(type)` / `@MessagePattern(type)`. */
  contracts?: readonly MessageContract[];
  /** Default deliveries before an event is dead-lettered (the Subscriber's default when unset). */
  maxDeliveries?: number;
  /** Default redelivery delays of a failed event (the Subscriber's default when unset). */
  retryDelaysMs?: readonly number[];
}

type NestHandler = MessageHandler<unknown, MessagingContext, unknown>;

/**
 * A Nest custom transport over the Publisher/Subscriber ports, so handlers keep `@EventPattern` /
 * `@MessagePattern` (or `@OnEvent` / `@OnRequest`, which carry the contract) on any bus backend.
 * - Every handler gets its own consumer group `<service>.<group>` (see `planSubscriptions`), so two handlers
 *   of one event each get every event, and the instances of a service compete for them.
 * - An event is acknowledged only after the handler's promise or observable completed; an error retries it
 *   and finally dead-letters it, as the Subscriber does; a payload that breaks the contract is
 *   dead-lettered without calling the handler.
 * - A request is answered with the handler's last value, or with its error; see `MessagingClient`.
 * - `listen` fails, before subscribing anything, when a pattern has no contract or two handlers clash.
 * - `close` closes the subscriptions (awaiting handlers in flight), never the shared Subscriber.
 */
export class MessagingTransport extends Server implements CustomTransportStrategy {
  override transportId = MESSAGING_TRANSPORT;
  /** Handler errors come back to this transport (it awaits every handler), so Nest must not log them as lost. */
  override readonly propagatesEventHandlerErrors = true;
  protected override readonly logger = new Logger(MessagingTransport.name);
  private readonly registry: ContractRegistry;
  private readonly registered: RegisteredHandler<NestHandler>[] = [];
  private subscriptions: Subscription[] = [];

  constructor(private readonly options: MessagingTransportOptions) {
    super();
    this.registry = new ContractRegistry(options.contracts ?? [], 'MessagingTransport');
  }

  /** Records each handler on its own; Nest's default chains the event handlers of one pattern into one. */
  override addHandler(pattern: unknown, callback: NestHandler, isEventHandler = false, extras: Record<string, unknown> = {}): void {
    const route = this.normalizePattern(pattern as string);
    callback.isEventHandler = isEventHandler;
    callback.extras = extras;
    if (!this.messageHandlers.has(route)) this.messageHandlers.set(route, callback);
    this.registered.push({ pattern: route, kind: isEventHandler ? 'event' : 'request', handler: callback, extras });
  }

  listen(callback: (error?: unknown) => void): void {
    this.start().then(
      () => callback(),
      (error: unknown) => callback(error),
    );
  }

  async close(): Promise<void> {
    const subscriptions = this.subscriptions;
    this.subscriptions = [];
    await Promise.all(subscriptions.map((subscription) => subscription.close()));
    this._status$.next('disconnected');
  }

  on(): never {
    throw new Error('MessagingTransport emits no events; observe failures through the Subscriber backend');
  }

  /** The Subscriber this transport consumes from. */
  unwrap<T>(): T {
    return this.options.subscriber as T;
  }

  private async start(): Promise<void> {
    const { service, maxDeliveries, retryDelaysMs } = this.options;
    const plan = planSubscriptions(this.registered, { service, registry: this.registry, maxDeliveries, retryDelaysMs });
    try {
      for (const planned of plan) {
        this.subscriptions.push(planned.kind === 'event' ? this.subscribeEvents(planned) : this.subscribeRequests(planned));
      }
      await this.options.subscriber.start();
    } catch (error) {
      await this.close();
      throw error;
    }
    this._status$.next('connected');
  }

  private subscribeEvents(planned: PlannedSubscription<NestHandler>): Subscription {
    const { contract, group, maxDeliveries, retryDelaysMs, pattern, handler } = planned;
    return this.options.subscriber.subscribe(contract, {
      group,
      ...(maxDeliveries === undefined ? {} : { maxDeliveries }),
      ...(retryDelaysMs === undefined ? {} : { retryDelaysMs }),
      handler: async (payload, envelope) => {
        try {
          await this.invoke(handler, payload, new MessagingContext([envelope, pattern]));
        } catch (error) {
          this.logFailure(error, pattern, group);
          throw error;
        }
      },
    });
  }

  private subscribeRequests(planned: PlannedSubscription<NestHandler>): Subscription {
    return this.options.subscriber.subscribe(requestContract(planned.contract), {
      group: planned.group,
      handler: async (payload, envelope) => this.answer(planned, payload, envelope),
    });
  }

  /** Runs the handler and replies with its result or error. Never throws: a request is not redelivered. */
  private async answer(planned: PlannedSubscription<NestHandler>, request: RequestPayload, envelope: Envelope<RequestPayload>): Promise<void> {
    const where = `${this.options.service} handling "${planned.pattern}"`;
    const parsed = planned.contract.schema.safeParse(request.data);
    let reply: ReplyPayload;
    if (!parsed.success) {
      reply = { ok: false, error: toWireError(validationErrorFrom(parsed.error, `${planned.pattern} request`), where) };
    } else {
      try {
        const context = new MessagingContext([{ ...envelope, payload: parsed.data }, planned.pattern]);
        reply = { ok: true, data: await this.invoke(planned.handler, parsed.data, context) };
      } catch (error) {
        this.logFailure(error, planned.pattern, planned.group);
        reply = { ok: false, error: toWireError(error, where) };
      }
    }
    try {
      await this.options.publisher.publish(
        createEnvelope(replyContract(request.replyTo), reply, { producer: this.options.service, ...causedBy(envelope) }),
      );
    } catch (error) {
      // Not rethrown: redelivery would run the handler, and its effects, again. The caller times out instead.
      this.logger.error({ err: error, pattern: planned.pattern }, `could not publish the reply to ${request.replyTo}`);
    }
  }

  /** Runs a Nest handler between the processing hooks; resolves with its last value once it completed. */
  private invoke(handler: NestHandler, data: unknown, context: MessagingContext): Promise<unknown> {
    return new Promise((resolve, reject) => {
      this.runWithProcessingHooks(context, async (runEndHook) => {
        try {
          const result$ = this.transformToObservable(await handler(data, context));
          resolve(await lastValueFrom(result$, { defaultValue: undefined }));
        } catch (thrown) {
          reject(asError(thrown));
        } finally {
          runEndHook();
        }
      });
    });
  }

  private logFailure(error: unknown, pattern: string, group: string): void {
    if (isBusinessError(error)) return;
    this.logger.error({ err: error, pattern, group }, `handler of "${pattern}" failed in group ${group}`);
  }
}
