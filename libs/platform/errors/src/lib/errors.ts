import { AppError, type FieldIssue } from './app-error';

/** Input that fails its schema. Maps to 400 (malformed) or 422 (well-formed but invalid). */
export class ValidationError extends AppError {
  constructor(message: string, issues: FieldIssue[], code = 'validation-failed') {
    super(message, { code, kind: 'validation', issues });
  }
}

/** The addressed resource does not exist, or the caller may not know that it does. */
export class NotFoundError extends AppError {
  constructor(message: string, code = 'not-found') {
    super(message, { code, kind: 'not-found' });
  }
}

/** The request conflicts with current state (duplicate key, wrong state transition). */
export class ConflictError extends AppError {
  constructor(message: string, code = 'conflict') {
    super(message, { code, kind: 'conflict' });
  }
}

/** No valid credentials were presented. */
export class UnauthenticatedError extends AppError {
  constructor(message: string, code = 'unauthenticated') {
    super(message, { code, kind: 'unauthenticated' });
  }
}

/** Credentials are valid but do not allow this action. */
export class ForbiddenError extends AppError {
  constructor(message: string, code = 'forbidden') {
    super(message, { code, kind: 'forbidden' });
  }
}

/** A dependency (upstream service, broker, database) could not be reached. Retryable. */
export class UnavailableError extends AppError {
  constructor(message: string, code = 'unavailable', cause?: unknown) {
    super(message, { code, kind: 'unavailable', cause });
  }
}

/** A call ran out of its time budget. Retryable. */
export class TimeoutError extends AppError {
  constructor(message: string, code = 'timeout', cause?: unknown) {
    super(message, { code, kind: 'timeout', cause });
  }
}

/**
 * Too many requests from this caller: maps to 429 with a `Retry-After` header. Not a fault (no breaker
 * trips on it, no immediate retry), but `retryable`: the same call succeeds once `retryAfterSec` passed.
 */
export class RateLimitedError extends AppError {
  /** Whole seconds until the caller may try again (at least 1). */
  readonly retryAfterSec: number;

  constructor(message: string, retryAfterSec: number, code = 'rate-limited') {
    super(message, { code, kind: 'rate-limited', retryable: true });
    this.retryAfterSec = Math.max(1, Math.ceil(retryAfterSec));
  }
}
