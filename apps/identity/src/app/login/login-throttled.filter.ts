import { type ArgumentsHost, Catch, type ExceptionFilter } from '@nestjs/common';
import { PROBLEM_CONTENT_TYPE, problem } from '@nestkit/errors';
import { LoginThrottledError } from './login-throttled.error';

interface ReplyLike {
  status(code: number): ReplyLike;
  header(name: string, value: string): ReplyLike;
  send(body: unknown): unknown;
}

/**
 * Answers {@link LoginThrottledError} with 429 problem+json, a `Retry-After` header and `retryAfterSec`.
 * Lives here until @nestkit/errors has a rate-limited kind the global filter maps.
 */
@Catch(LoginThrottledError)
export class LoginThrottledFilter implements ExceptionFilter {
  catch(error: LoginThrottledError, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const body = { ...problem(429, error.code, error.message), instance: http.getRequest<{ url?: string }>().url, retryAfterSec: error.retryAfterSec };
    http.getResponse<ReplyLike>().status(429).header('retry-after', String(error.retryAfterSec)).header('content-type', PROBLEM_CONTENT_TYPE).send(body);
  }
}
