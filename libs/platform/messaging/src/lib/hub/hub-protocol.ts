import type { Envelope } from '../envelope/envelope';

/** The IPC channel the embedded bus uses between `npm start`'s parent process and each service. */
export const BUS_CHANNEL = 'nestkit.messaging';

/** A consumer joining a group, as sent from a service to the hub. */
export interface SubscribeRequest {
  id: string;
  type: string;
  version: number;
  group: string;
  maxDeliveries?: number;
  retryDelaysMs?: readonly number[];
  transient?: boolean;
}

/** One delivery from the hub to the service that subscribed. */
export interface DeliverRequest {
  subscription: string;
  envelope: Envelope;
}

/** The service's verdict on a delivery: handled, or never handleable (dead-letter at once). */
export type DeliverResult = { handled: true } | { invalid: string };

/** How long the hub waits for a handler before counting the delivery as failed (and retrying it). */
export const DELIVERY_TIMEOUT_MS = 60_000;
