import { TimeoutError, UnavailableError } from '@nestkit/errors';
import type { ConfirmChannel, Options } from 'amqplib';
import { messageOf } from './call-timeout';
import { returnKey } from './rabbitmq.session';

/** A confirm channel and the unroutable returns seen on it (see `trackReturns`); a session is one. */
export interface ConfirmTarget {
  readonly publishing: ConfirmChannel;
  readonly returns: Map<string, number>;
}

/** One message to publish. With `options.mandatory`, a message no queue takes counts as a failure. */
export interface OutgoingMessage {
  readonly exchange: string;
  readonly routingKey: string;
  readonly content: Buffer;
  readonly options: Options.Publish;
}

/**
 * Publishes `messages` on the session's confirm channel and resolves once the broker confirmed every one.
 * Rejects (retryable) on a nack, on a mandatory message returned as unroutable, when the channel closes
 * first, and after `timeoutMs`. Waits for `drain` whenever the socket buffer is full.
 */
export async function publishConfirmed(session: ConfirmTarget, messages: readonly OutgoingMessage[], timeoutMs: number, safeUrl: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const confirms: Promise<void>[] = [];
  for (const message of messages) {
    let accepted = true;
    const confirmed = new Promise<void>((resolve, reject) => {
      accepted = session.publishing.publish(message.exchange, message.routingKey, message.content, message.options, (error: unknown) => {
        if (error) reject(failure(message, error, safeUrl));
        else if (message.options.mandatory && takeReturn(session, message)) reject(unroutable(message));
        else resolve();
      });
    }).catch((error: unknown) => {
      // `publish` throws at once on a closed channel; either way the caller sees one error type.
      throw error instanceof UnavailableError ? error : failure(message, error, safeUrl);
    });
    // Handled now, so a failure that arrives while a later message waits for drain is not "unhandled".
    confirmed.catch(() => undefined);
    confirms.push(confirmed);
    if (!accepted) await drained(session, deadline, `the publishing channel to RabbitMQ at ${safeUrl} stayed full (backpressure) for ${timeoutMs} ms; publish again`);
  }
  await untilDeadline(Promise.all(confirms), deadline, `${messages.length} message(s) were not confirmed by RabbitMQ at ${safeUrl} within ${timeoutMs} ms; publish again`);
}

function takeReturn(session: ConfirmTarget, message: OutgoingMessage): boolean {
  const key = returnKey(message.routingKey, message.options.messageId);
  const count = session.returns.get(key) ?? 0;
  if (count === 0) return false;
  if (count === 1) session.returns.delete(key);
  else session.returns.set(key, count - 1);
  return true;
}

function drained(session: ConfirmTarget, deadline: number, timeoutMessage: string): Promise<void> {
  const channel = session.publishing;
  const waiting = new Promise<void>((resolve) => {
    const done = () => {
      channel.off('drain', done);
      channel.off('close', done);
      resolve();
    };
    channel.on('drain', done);
    // A closed channel rejects the pending confirms; stop waiting and let them report it.
    channel.on('close', done);
  });
  return untilDeadline(waiting, deadline, timeoutMessage);
}

function untilDeadline<T>(promise: Promise<T>, deadline: number, timeoutMessage: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(timeoutMessage, 'messaging.publish-timeout')), Math.max(0, deadline - Date.now()));
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function failure(message: OutgoingMessage, error: unknown, safeUrl: string): UnavailableError {
  const what = `${describe(message)} was not confirmed by RabbitMQ at ${safeUrl}`;
  return new UnavailableError(`${what}: ${messageOf(error)}. It may not have been stored; publish again.`, 'messaging.publish-failed', error);
}

function unroutable(message: OutgoingMessage): UnavailableError {
  return new UnavailableError(
    `${describe(message)} was returned as unroutable: queue "${message.routingKey}" does not exist`,
    'messaging.publish-unroutable',
  );
}

function describe(message: OutgoingMessage): string {
  const target = message.exchange === '' ? `queue ${message.routingKey}` : `exchange ${message.exchange} (routing key ${message.routingKey})`;
  return `message ${message.options.messageId ?? '(no id)'} to ${target}`;
}
