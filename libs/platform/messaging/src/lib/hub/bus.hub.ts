import type { IpcPeer } from '@nestkit/ipc';
import { z } from 'zod';
import type { Envelope } from '../envelope/envelope';
import type { InMemoryBus } from '../in-memory/in-memory.bus';
import { InvalidMessageError } from '../invalid-message.error';
import type { Subscription } from '../subscriber';
import { DELIVERY_TIMEOUT_MS, type DeliverResult, type SubscribeRequest } from './hub-protocol';

/**
 * The parent side of the embedded bus: serves each service process's publishes and subscriptions
 * from one {@link InMemoryBus}. A delivery is acknowledged only when the service's handler finished;
 * when a service process dies, its subscriptions close and its in-flight messages are redelivered.
 */
export class BusHub {
  constructor(private readonly bus: InMemoryBus) {}

  /** Serves one service process, until its channel closes. */
  attach(peer: IpcPeer): void {
    const subscriptions = new Map<string, Subscription>();
    peer.handle('publish', (envelopes) => this.bus.publish(envelopes as Envelope[]));
    peer.handle('subscribe', (body) => {
      const request = body as SubscribeRequest;
      // The service validates against the real schema; the hub only routes.
      const contract = { type: request.type, version: request.version, schema: z.unknown() };
      const subscription = this.bus.subscribe(contract, {
        group: request.group,
        maxDeliveries: request.maxDeliveries,
        retryDelaysMs: request.retryDelaysMs,
        transient: request.transient,
        handler: async (_payload, envelope) => {
          const result = await peer.request<DeliverResult>('deliver', { subscription: request.id, envelope }, DELIVERY_TIMEOUT_MS);
          if ('invalid' in result) throw new InvalidMessageError(result.invalid);
        },
      });
      subscriptions.set(request.id, subscription);
    });
    peer.handle('unsubscribe', async (body) => {
      const { id } = body as { id: string };
      await subscriptions.get(id)?.close();
      subscriptions.delete(id);
    });
    peer.onClose(() => {
      for (const subscription of subscriptions.values()) void subscription.close();
      subscriptions.clear();
    });
  }
}
