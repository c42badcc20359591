import { AppError, type ErrorKind } from '@nestkit/errors';

/**
 * A gateway answer whose status no platform error kind maps to (413, 400 for a malformed path, 405):
 * rendered as problem+json with exactly this status.
 */
export class EdgeError extends AppError {
  constructor(
    readonly status: number,
    code: string,
    message: string,
    kind: ErrorKind = 'validation',
  ) {
    super(message, { code, kind, retryable: false });
  }
}

/** 413: the gateway also closes the connection rather than read the rest of the upload. */
export class BodyTooLargeError extends EdgeError {
  constructor(limit: number, seen: string) {
    super(413, 'body-too-large', `The request body (${seen}) exceeds this route's limit of ${limit} bytes; send at most ${limit} bytes.`);
  }
}
