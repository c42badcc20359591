import { AppError, type ErrorKind } from '@nestkit/errors';
import type { WireError } from './request-reply.protocol';

const KINDS: readonly ErrorKind[] = ['validation', 'not-found', 'conflict', 'unauthenticated', 'forbidden', 'rate-limited', 'unavailable', 'timeout', 'internal'];

/**
 * The error a request's handler raised in another service, as `MessagingClient.send` rejects with it. It
 * keeps the remote `code`, `kind`, `retryable` and field issues, so the caller's edge maps it as it would
 * a local AppError (a remote NotFoundError becomes a 404).
 */
export class RemoteHandlerError extends AppError {
  constructor(
    /** The request's pattern (message type). */
    readonly pattern: string,
    error: WireError,
  ) {
    super(error.message, {
      code: error.code,
      kind: KINDS.includes(error.kind as ErrorKind) ? (error.kind as ErrorKind) : 'internal',
      retryable: error.retryable,
      issues: error.issues,
    });
  }
}
