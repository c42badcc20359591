import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { isAppError } from './app-error';
import { PROBLEM_CONTENT_TYPE, type ProblemDetails, problem, toProblem } from './problem-details';

interface ReplyLike {
  status(code: number): ReplyLike;
  header(name: string, value: string): ReplyLike;
  send(body: unknown): unknown;
}

interface FastifyLikeError {
  statusCode?: number;
  code?: string;
  message?: string;
}

const MALFORMED_BODY_CODES = new Set(['FST_ERR_CTP_INVALID_JSON_BODY', 'FST_ERR_CTP_EMPTY_JSON_BODY']);

/** `malformed-request` for a body Fastify could not parse, else `http-<status>`. */
function codeFor(status: number, fastifyCode: string | undefined): string {
  return fastifyCode && MALFORMED_BODY_CODES.has(fastifyCode) ? 'malformed-request' : `http-${status}`;
}

function fromHttpException(exception: HttpException): ProblemDetails {
  const status = exception.getStatus();
  // Nest wraps Fastify's client errors (bad JSON, wrong content type) in an HttpException with the original as cause.
  const fastifyCode = (exception.cause as FastifyLikeError | undefined)?.code;
  const response = exception.getResponse();
  const message =
    typeof response === 'object' && response !== null && 'message' in response
      ? String((response as { message: unknown }).message)
      : exception.message;
  return problem(status, codeFor(status, fastifyCode), message);
}

/** Maps a thrown value to a problem document: AppError, Nest HttpException, or a Fastify client error. */
export function problemFor(exception: unknown): ProblemDetails {
  if (isAppError(exception)) return toProblem(exception);
  if (exception instanceof HttpException) return fromHttpException(exception);
  const fastifyError = exception as FastifyLikeError;
  if (typeof fastifyError?.statusCode === 'number' && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
    return problem(fastifyError.statusCode, codeFor(fastifyError.statusCode, fastifyError.code), fastifyError.message ?? 'Bad request');
  }
  return toProblem(exception);
}

/**
 * The one HTTP exception filter: every error leaves as RFC 9457 `application/problem+json`. A 5xx is
 * logged: unexpected faults at error level with their stack; a known, retryable outage (an `AppError`
 * of kind unavailable or timeout: circuit open, bulkhead full, upstream timeout) at warn level with its
 * code and message only, since under overload a stack per shed request costs the CPU the service lacks.
 * A `RateLimitedError` also gets a `Retry-After` header. Register it globally in each app's bootstrap.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger(ProblemDetailsFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const reply = http.getResponse<ReplyLike>();
    const request = http.getRequest<{ url?: string }>();
    const body = problemFor(exception);
    body.instance = request?.url;
    if (body.status >= 500 && isAppError(exception) && exception.retryable) {
      this.logger.warn({ code: body.code, reason: exception.message }, `request failed with ${body.status}`);
    } else if (body.status >= 500) {
      this.logger.error({ err: exception, code: body.code }, `request failed with ${body.status}`);
    }
    reply.status(body.status).header('content-type', PROBLEM_CONTENT_TYPE);
    // RFC 9110 §10.2.3: tells a rate-limited client (and any proxy) when to come back.
    if (body.retryAfterSec !== undefined) reply.header('retry-after', String(body.retryAfterSec));
    reply.send(body);
  }
}
