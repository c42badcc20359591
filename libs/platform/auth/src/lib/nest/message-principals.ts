import { type IdentifiedMessage, isIdentifiedMessage } from '../messages/message-identity';
import type { Principal } from '../principal';

// Principals of messages being handled, keyed by the envelope object the transport handed over, so
// nothing is written onto the (readonly) envelope and nothing outlives it.
const principals = new WeakMap<object, Principal>();

function candidates(data: unknown, context: unknown): unknown[] {
  const ctx = context as { getEnvelope?: () => unknown; envelope?: unknown; getArgs?: () => unknown[] } | undefined;
  return [
    typeof ctx?.getEnvelope === 'function' ? ctx.getEnvelope() : undefined,
    ctx?.envelope,
    ...(typeof ctx?.getArgs === 'function' ? ctx.getArgs() : []),
    context,
    data,
  ];
}

/**
 * Finds the envelope in what a Nest message transport hands a guard: the RPC context's `getEnvelope()`,
 * `envelope` or arguments, the context itself, or the data. Structural, so any transport that passes the
 * envelope along works.
 */
export function envelopeOf(data: unknown, context: unknown): IdentifiedMessage | undefined {
  return candidates(data, context).find(isIdentifiedMessage);
}

/** Remembers the verified principal of a message for `@CurrentPrincipal()`. */
export function rememberMessagePrincipal(envelope: object, principal: Principal): void {
  principals.set(envelope, principal);
}

/** The principal the guard verified for the message being handled, if any. */
export function messagePrincipalOf(data: unknown, context: unknown): Principal | undefined {
  const envelope = envelopeOf(data, context);
  return envelope ? principals.get(envelope) : undefined;
}
