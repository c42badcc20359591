/** What went wrong, in terms every edge (HTTP, RPC, message consumer) knows how to map. */
export type ErrorKind =
  | 'validation'
  | 'not-found'
  | 'conflict'
  | 'unauthenticated'
  | 'forbidden'
  | 'rate-limited'
  | 'unavailable'
  | 'timeout'
  | 'internal';

/** One field-level problem in a rejected input. `path` is dotted (`items.0.quantity`). */
export interface FieldIssue {
  path: string;
  message: string;
}

export interface AppErrorOptions {
  /** Stable, machine-readable code such as `orders.product-not-found`. */
  code: string;
  kind: ErrorKind;
  /** True when the same call may succeed if repeated (outage, timeout); never for business failures. */
  retryable?: boolean;
  cause?: unknown;
  /** Field-level detail for validation failures. */
  issues?: FieldIssue[];
}

/**
 * The base of every error the platform raises on purpose. It carries a stable `code`, a `kind` that the
 * edges map to a status, and whether retrying may help. Business failures (`validation`, `not-found`,
 * `conflict`) are never retryable and never trip a circuit breaker.
 */
export class AppError extends Error {
  readonly code: string;
  readonly kind: ErrorKind;
  readonly retryable: boolean;
  readonly issues: FieldIssue[];

  constructor(message: string, options: AppErrorOptions) {
    super(message, { cause: options.cause });
    this.name = new.target.name;
    this.code = options.code;
    this.kind = options.kind;
    this.retryable = options.retryable ?? (options.kind === 'unavailable' || options.kind === 'timeout');
    this.issues = options.issues ?? [];
  }
}

/** True for any error raised as an {@link AppError}. */
export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

/**
 * True when the error is a business outcome (bad input, missing or conflicting resource, refused
 * credentials, a rate limit), not a fault: it never trips a circuit breaker nor triggers an immediate retry.
 */
export function isBusinessError(error: unknown): boolean {
  return isAppError(error) && ['validation', 'not-found', 'conflict', 'unauthenticated', 'forbidden', 'rate-limited'].includes(error.kind);
}

/** True when repeating the call may succeed. Unknown errors are treated as faults and retryable. */
export function isRetryable(error: unknown): boolean {
  return isAppError(error) ? error.retryable : true;
}
