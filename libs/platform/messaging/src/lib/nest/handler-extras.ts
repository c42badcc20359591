import type { MessageContract } from '../envelope/message-contract';

/**
 * Transport id of {@link MessagingTransport}. Pass it as the transport argument of `@EventPattern` or
 * `@MessagePattern` to bind a handler to this transport only, in an app that runs several.
 */
export const MESSAGING_TRANSPORT = Symbol.for('nestkit.messaging.transport');

/** Key under which `@OnEvent` / `@OnRequest` store their contract and options in a pattern's extras. */
export const MESSAGING_EXTRAS = 'nestkit.messaging';

/**
 * Per-handler subscription options. Give them to `@OnEvent(Contract, options)`, or as the extras of a plain
 * `@EventPattern(Contract.type, { group: 'audit' })`.
 */
export interface MessagingHandlerOptions {
  /**
   * Consumer group suffix: the group is `<service>.<group>`. Defaults to the method name with `@OnEvent` /
   * `@OnRequest`, and to the pattern with plain `@EventPattern` / `@MessagePattern`. Changing it moves the
   * handler to a new group (a new queue on a broker), so pin it before renaming a handler in production.
   */
  group?: string;
  /** Deliveries before an event is dead-lettered (see `SubscribeOptions`); default the transport's. */
  maxDeliveries?: number;
  /** Redelivery delays of a failed event, in milliseconds (see `SubscribeOptions`); default the transport's. */
  retryDelaysMs?: readonly number[];
}

/** What `@OnEvent` / `@OnRequest` put under {@link MESSAGING_EXTRAS}. */
export interface DecoratedHandlerExtras extends MessagingHandlerOptions {
  contract: MessageContract;
  /** Name of the decorated method, the default group suffix. */
  handler: string;
}

/** The handler options found in a pattern's extras, whichever decorator wrote them. */
export function handlerOptionsFrom(extras: Record<string, unknown> | undefined): Partial<DecoratedHandlerExtras> {
  const decorated = extras?.[MESSAGING_EXTRAS] as DecoratedHandlerExtras | undefined;
  if (decorated) return decorated;
  const { group, maxDeliveries, retryDelaysMs } = (extras ?? {}) as MessagingHandlerOptions;
  return {
    ...(group === undefined ? {} : { group }),
    ...(maxDeliveries === undefined ? {} : { maxDeliveries }),
    ...(retryDelaysMs === undefined ? {} : { retryDelaysMs }),
  };
}
