import { randomUUID } from 'node:crypto';
import { UnavailableError } from '@nestkit/errors';
import type { OnApplicationShutdown } from '@nestjs/common';
import { ClientProxy, type ReadPacket, type WritePacket } from '@nestjs/microservices';
import { createEnvelope, type Envelope, type EnvelopeOptions } from '../envelope/envelope';
import type { MessageContract } from '../envelope/message-contract';
import type { Publisher } from '../publisher';
import type { Subscriber, Subscription } from '../subscriber';
import { ContractRegistry, isMessageContract } from './contract-registry';
import { MessagingRecord, type MessagingRecordOptions } from './messaging.record';
import { PendingRequests, type RequestOutcome } from './pending-requests';
import { RemoteHandlerError } from './remote-handler.error';
import { type ReplyPayload, replyContract, replyTypeFor, type RequestPayload } from './request-reply.protocol';
import { asError } from './wire-error';

/** Default time `send` waits for a reply. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 5_000;

/** Options of {@link MessagingClient}. */
export interface MessagingClientOptions {
  publisher: Publisher;
  /** Receives the replies to `send`, on a reply type and group of this client instance's own. */
  subscriber: Subscriber;
  /** This service's name: the `producer` of the envelopes it sends. */
  service: string;
  /** Contracts of the patterns this client sends or emits as strings; a contract can also be the pattern itself. */
  contracts?: readonly MessageContract[];
  /** How long `send` waits for a reply before it fails with a TimeoutError; default 5000 ms. */
  requestTimeoutMs?: number;
}

interface Outgoing {
  contract: MessageContract;
  data: unknown;
  options: MessagingRecordOptions;
  traceparent?: string;
}

/**
 * A Nest `ClientProxy` over the Publisher/Subscriber ports. `emit(pattern, data)` validates `data` against
 * the pattern's contract and completes once the bus has durably accepted the event. `send(pattern, data)`
 * is a request to the one handler of `pattern` (see `MessagingTransport`): it emits the reply, fails with
 * a RemoteHandlerError carrying the remote error's message and code, or with a TimeoutError after
 * `requestTimeoutMs`. `pattern` is a message type listed in `contracts`, or a MessageContract.
 */
export class MessagingClient extends ClientProxy implements OnApplicationShutdown {
  private readonly registry: ContractRegistry;
  private readonly pending = new PendingRequests();
  private readonly replyType: string;
  private readonly requestTimeoutMs: number;
  private replies?: Promise<Subscription>;

  constructor(private readonly options: MessagingClientOptions) {
    super();
    this.registry = new ContractRegistry(options.contracts ?? [], 'MessagingClient');
    this.requestTimeoutMs = checkedTimeout(options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS, 'requestTimeoutMs');
    this.replyType = replyTypeFor(options.service, randomUUID());
  }

  /** Nothing to connect: the ports are shared. The reply subscription is made by the first `send`. */
  async connect(): Promise<void> {
    // Deliberately empty; see above.
  }

  /** Fails the requests still waiting with an UnavailableError and closes the reply subscription. */
  async close(): Promise<void> {
    const replies = this.replies;
    this.replies = undefined;
    this.pending.failAll((pattern) => new UnavailableError(`MessagingClient closed before "${pattern}" was answered`, 'messaging.client-closed'));
    await (await replies?.catch(() => undefined))?.close();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.close();
  }

  /** The ports this client sends and receives through. */
  unwrap<T>(): T {
    return { publisher: this.options.publisher, subscriber: this.options.subscriber } as T;
  }

  protected publish(packet: ReadPacket, callback: (packet: WritePacket) => void): () => void {
    let request: Envelope;
    let timeoutMs: number;
    try {
      const outgoing = this.outgoing(packet);
      request = createEnvelope(outgoing.contract, outgoing.data, this.envelopeOptions(outgoing));
      timeoutMs = checkedTimeout(outgoing.options.timeoutMs ?? this.requestTimeoutMs, 'timeoutMs');
    } catch (error) {
      callback({ err: error });
      return () => undefined;
    }
    this.pending.add(request.id, request.type, timeoutMs, (outcome) => callback(toWritePacket(outcome)));
    this.dispatchRequest(request).catch((error: unknown) => this.pending.settle(request.id, { ok: false, error: asError(error) }));
    return () => this.pending.cancel(request.id);
  }

  protected async dispatchEvent<T = unknown>(packet: ReadPacket): Promise<T> {
    const outgoing = this.outgoing(packet);
    await this.options.publisher.publish(createEnvelope(outgoing.contract, outgoing.data, this.envelopeOptions(outgoing)));
    return undefined as T;
  }

  private async dispatchRequest(request: Envelope): Promise<void> {
    await this.replySubscription();
    const payload: RequestPayload = { replyTo: this.replyType, data: request.payload };
    await this.options.publisher.publish({ ...request, payload });
  }

  private replySubscription(): Promise<Subscription> {
    if (this.replies) return this.replies;
    const attempt = (async () => {
      const subscription = this.options.subscriber.subscribe(replyContract(this.replyType), {
        group: this.replyType,
        handler: async (reply, envelope) => this.onReply(reply, envelope),
      });
      await this.options.subscriber.start();
      return subscription;
    })();
    // A failed attempt is forgotten, so the next send tries again instead of failing forever.
    attempt.catch(() => {
      if (this.replies === attempt) this.replies = undefined;
    });
    this.replies = attempt;
    return attempt;
  }

  private onReply(reply: ReplyPayload, envelope: Envelope<ReplyPayload>): void {
    const id = envelope.causationId ?? '';
    const pattern = this.pending.patternOf(id);
    // No pattern: the request timed out, was cancelled, or this is a redelivered reply. Nothing waits for it.
    if (pattern === undefined) return;
    this.pending.settle(id, reply.ok ? { ok: true, data: reply.data } : { ok: false, error: new RemoteHandlerError(pattern, reply.error) });
  }

  private outgoing(packet: ReadPacket): Outgoing {
    const { data, options } = packet.data instanceof MessagingRecord ? packet.data : { data: packet.data, options: {} };
    return { contract: this.contractFor(packet.pattern), data, options, traceparent: packet.metadata?.['traceparent'] };
  }

  private envelopeOptions({ options, traceparent }: Outgoing): EnvelopeOptions {
    const { key, correlationId, causationId } = options;
    return { producer: this.options.service, key, correlationId, causationId, traceparent: options.traceparent ?? traceparent };
  }

  private contractFor(pattern: unknown): MessageContract {
    if (isMessageContract(pattern)) return pattern;
    const contract = typeof pattern === 'string' ? this.registry.find(pattern) : undefined;
    if (contract) return contract;
    throw new TypeError(
      `MessagingClient has no contract for pattern ${JSON.stringify(pattern)}: add it to the client's \`contracts\` ` +
        'option, or pass the contract itself as the pattern (client.send(Contract, data))',
    );
  }
}

function toWritePacket(outcome: RequestOutcome): WritePacket {
  return outcome.ok ? { response: outcome.data, isDisposed: true } : { err: outcome.error };
}

function checkedTimeout(value: number, name: string): number {
  if (Number.isFinite(value) && value > 0) return value;
  throw new RangeError(`MessagingClient: ${name} must be a number of milliseconds > 0, got ${value}`);
}
