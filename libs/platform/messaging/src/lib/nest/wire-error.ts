import { isAppError } from '@nestkit/errors';
import type { WireError } from './request-reply.protocol';

/** A Nest `RpcException`, recognised by shape so this file stays free of Nest imports. */
interface RpcExceptionLike {
  getError(): string | object;
}

/**
 * What a caller may learn about a handler's failure. An AppError crosses whole (message, code, kind,
 * retryable, field issues), as does the message/code of a Nest `RpcException`. Anything else is a fault
 * whose message may hold internals, so it crosses as an opaque `internal` error; the server logs it.
 */
export function toWireError(error: unknown, where: string): WireError {
  if (isAppError(error)) {
    return { message: error.message, code: error.code, kind: error.kind, retryable: error.retryable, issues: error.issues };
  }
  const rpc = typeof (error as Partial<RpcExceptionLike> | null)?.getError === 'function' ? (error as RpcExceptionLike).getError() : undefined;
  const body = typeof rpc === 'string' ? { message: rpc } : (rpc as { message?: unknown; code?: unknown } | undefined);
  if (typeof body?.message === 'string') {
    return { message: body.message, code: typeof body.code === 'string' ? body.code : 'rpc-error', kind: 'internal', retryable: false };
  }
  return { message: `An unexpected error occurred in ${where}.`, code: 'internal', kind: 'internal', retryable: true };
}

/**
 * Turns what a Nest handler pipeline threw into an Error the Subscriber can report. Nest's default
 * exception filter replaces an error with a plain `{ status, message }` object; keep at least its message.
 */
export function asError(thrown: unknown): Error {
  if (thrown instanceof Error) return thrown;
  const message = (thrown as { message?: unknown } | null)?.message;
  return new Error(typeof message === 'string' ? message : String(thrown));
}
