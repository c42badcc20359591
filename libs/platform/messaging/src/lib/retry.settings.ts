import type { MessageContract } from './envelope/message-contract';
import { DEFAULT_MAX_DELIVERIES, DEFAULT_RETRY_DELAYS_MS, type SubscribeOptions } from './subscriber';

/** A subscription's redelivery settings, defaults filled in. */
export interface RetrySettings {
  readonly maxDeliveries: number;
  readonly retryDelaysMs: readonly number[];
}

/**
 * The group and redelivery settings of `subscribe(contract, options)` with their defaults, checked the same
 * way by every backend; throws naming the message type and what is wrong. `wholeMilliseconds` is for a
 * backend whose delays must be whole milliseconds, with why (RabbitMQ: each delay is a queue's TTL).
 */
export function retrySettings<T>(contract: MessageContract<T>, options: SubscribeOptions<T>, wholeMilliseconds?: { because: string }): RetrySettings {
  const maxDeliveries = options.maxDeliveries ?? DEFAULT_MAX_DELIVERIES;
  const retryDelaysMs = options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
  if (options.group.trim() === '') throw new TypeError(`subscribe(${contract.type}): group must not be empty`);
  if (!Number.isInteger(maxDeliveries) || maxDeliveries < 1) {
    throw new RangeError(`subscribe(${contract.type}): maxDeliveries must be an integer >= 1, got ${maxDeliveries}`);
  }
  const valid = wholeMilliseconds ? (d: number) => Number.isInteger(d) && d >= 0 : (d: number) => Number.isFinite(d) && d >= 0;
  if (retryDelaysMs.length === 0 || !retryDelaysMs.every(valid)) {
    const what = wholeMilliseconds ? `whole milliseconds >= 0 (${wholeMilliseconds.because})` : 'delays >= 0';
    throw new RangeError(`subscribe(${contract.type}): retryDelaysMs must be a non-empty list of ${what}`);
  }
  return { maxDeliveries, retryDelaysMs };
}
