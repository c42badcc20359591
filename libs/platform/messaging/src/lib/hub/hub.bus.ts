import { randomUUID } from 'node:crypto';
import { validationErrorFrom } from '@nestkit/errors';
import type { IpcPeer } from '@nestkit/ipc';
import type { Envelope } from '../envelope/envelope';
import type { MessageContract } from '../envelope/message-contract';
import { InvalidMessageError } from '../invalid-message.error';
import type { Publisher } from '../publisher';
import type { MessageHandler, SubscribeOptions, Subscriber, Subscription } from '../subscriber';
import type { DeliverRequest, DeliverResult, SubscribeRequest } from './hub-protocol';

interface LocalSubscription {
  contract: MessageContract<unknown>;
  handler: MessageHandler<unknown>;
}

/**
 * A service's view of the embedded bus when `npm start` runs each service as its own process: the
 * {@link InMemoryBus} lives in the parent, and this forwards publishes to it and runs this service's
 * handlers for the deliveries it sends back. Payloads are validated here, against the real contract.
 */
export class HubBus implements Publisher, Subscriber {
  private readonly subscriptions = new Map<string, LocalSubscription>();
  private readonly registering = new Set<Promise<unknown>>();

  constructor(private readonly peer: IpcPeer) {
    peer.handle('deliver', (body) => this.deliver(body as DeliverRequest));
  }

  async publish(envelopes: Envelope | readonly Envelope[]): Promise<void> {
    const batch = Array.isArray(envelopes) ? envelopes : [envelopes];
    await this.peer.request('publish', batch);
  }

  subscribe<T>(contract: MessageContract<T>, options: SubscribeOptions<T>): Subscription {
    const id = randomUUID();
    this.subscriptions.set(id, { contract: contract as MessageContract<unknown>, handler: options.handler as MessageHandler<unknown> });
    const request: SubscribeRequest = {
      id,
      type: contract.type,
      version: contract.version,
      group: options.group,
      maxDeliveries: options.maxDeliveries,
      retryDelaysMs: options.retryDelaysMs,
      transient: options.transient,
    };
    const registered = this.peer.request('subscribe', request).finally(() => this.registering.delete(registered));
    this.registering.add(registered);
    return {
      close: async () => {
        this.subscriptions.delete(id);
        await this.peer.request('unsubscribe', { id }).catch(() => undefined);
      },
    };
  }

  /** Resolves once the hub has registered every subscription made so far (rejects if one failed). */
  async start(): Promise<void> {
    await Promise.all([...this.registering]);
  }

  async close(): Promise<void> {
    await Promise.all([...this.subscriptions.keys()].map((id) => this.peer.request('unsubscribe', { id }).catch(() => undefined)));
    this.subscriptions.clear();
  }

  private async deliver(request: DeliverRequest): Promise<DeliverResult> {
    const subscription = this.subscriptions.get(request.subscription);
    if (!subscription) throw new Error(`subscription ${request.subscription} is closed`);
    const parsed = subscription.contract.schema.safeParse(request.envelope.payload);
    if (!parsed.success) return { invalid: validationErrorFrom(parsed.error, `${request.envelope.type} payload`).message };
    try {
      await subscription.handler(parsed.data, { ...request.envelope, payload: parsed.data });
    } catch (error) {
      // An error crosses IPC as a plain message; an invalid message must still dead-letter at once in the hub.
      if (error instanceof InvalidMessageError) return { invalid: error.message };
      throw error;
    }
    return { handled: true };
  }
}
