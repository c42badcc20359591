export { AppError, type AppErrorOptions, type ErrorKind, type FieldIssue, isAppError, isBusinessError, isRetryable } from './lib/app-error';
export { ConflictError, ForbiddenError, NotFoundError, RateLimitedError, TimeoutError, UnauthenticatedError, UnavailableError, ValidationError } from './lib/errors';
export { PROBLEM_CONTENT_TYPE, type ProblemDetails, problem, statusOf, toProblem } from './lib/problem-details';
export { ProblemDetailsFilter, problemFor } from './lib/problem-details.filter';
export { fieldIssues, validationErrorFrom } from './lib/zod-issues';
export { ZodValidationPipe } from './lib/zod-validation.pipe';
