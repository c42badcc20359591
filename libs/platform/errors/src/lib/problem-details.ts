import { type AppError, type ErrorKind, type FieldIssue, isAppError } from './app-error';
import { RateLimitedError } from './errors';

/** RFC 9457 problem details, with the platform's `code` and field `errors` as extensions. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  code: string;
  errors?: FieldIssue[];
  traceId?: string;
  /** Seconds until a rate-limited caller may retry; also sent as the `Retry-After` header. */
  retryAfterSec?: number;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

const statusByKind: Record<ErrorKind, number> = {
  validation: 422,
  'not-found': 404,
  conflict: 409,
  unauthenticated: 401,
  forbidden: 403,
  'rate-limited': 429,
  unavailable: 503,
  timeout: 504,
  internal: 500,
};

const titleByStatus: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** The HTTP status an {@link AppError} maps to; `malformed` validation (unparseable input) is a 400. */
export function statusOf(error: AppError): number {
  if (error.kind === 'validation' && error.code === 'malformed-request') return 400;
  return statusByKind[error.kind];
}

/** Builds a problem document for a status, with the standard title for it. */
export function problem(status: number, code: string, detail: string, errors?: FieldIssue[]): ProblemDetails {
  const title = titleByStatus[status] ?? (status >= 500 ? 'Server Error' : 'Client Error');
  return {
    type: `https://nestkit.dev/problems/${code}`,
    title,
    status,
    detail,
    code,
    ...(errors && errors.length > 0 ? { errors } : {}),
  };
}

/** Maps any thrown value to a problem document; unknown errors become an opaque 500. */
export function toProblem(error: unknown): ProblemDetails {
  if (isAppError(error)) {
    const status = statusOf(error);
    const detail = status >= 500 && error.kind === 'internal' ? 'An unexpected error occurred.' : error.message;
    const body = problem(status, error.code, detail, error.issues);
    return error instanceof RateLimitedError ? { ...body, retryAfterSec: error.retryAfterSec } : body;
  }
  return problem(500, 'internal', 'An unexpected error occurred.');
}
