import { z } from 'zod';
import type { MessageContract } from '../envelope/message-contract';

// Request/reply over the Publisher/Subscriber ports, so it works on every backend. The Envelope has no
// reply-to field, so a request's payload wraps the contract's payload with the reply address. A reply is
// an envelope of the requester's own reply type whose `causationId` is the request's id: that is how the
// client matches it, and `correlationId` keeps naming the business flow as everywhere else.

/** The payload of a request envelope: where to reply and the request itself (valid per its contract). */
export interface RequestPayload {
  replyTo: string;
  data?: unknown;
}

/** An error as it crosses the wire in a reply. */
export interface WireError {
  message: string;
  code: string;
  kind: string;
  retryable: boolean;
  issues?: { path: string; message: string }[];
}

/** The payload of a reply envelope: the handler's result or its error. */
export type ReplyPayload = { ok: true; data?: unknown } | { ok: false; error: WireError };

const RequestPayloadSchema = z.object({ replyTo: z.string().min(1), data: z.unknown() });

const WireErrorSchema = z.object({
  message: z.string(),
  code: z.string(),
  kind: z.string(),
  retryable: z.boolean(),
  issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});

const ReplyPayloadSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), data: z.unknown() }),
  z.object({ ok: z.literal(false), error: WireErrorSchema }),
]);

/**
 * The contract a request handler subscribes with: same type and version as the request contract, but the
 * wrapper schema. The inner payload is validated by the transport, which answers a bad one with a
 * validation error instead of dead-lettering it, so the caller learns at once what was wrong.
 */
export function requestContract(contract: MessageContract): MessageContract<RequestPayload> {
  return { type: contract.type, version: contract.version, schema: RequestPayloadSchema };
}

/** The contract of the replies sent to one client's reply type. */
export function replyContract(type: string): MessageContract<ReplyPayload> {
  return { type, version: 1, schema: ReplyPayloadSchema as z.ZodType<ReplyPayload> };
}

/** The message type one client instance receives its replies on (its own consumer group, too). */
export function replyTypeFor(service: string, clientId: string): string {
  return `${service}.replies.${clientId}`;
}
