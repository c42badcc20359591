import type { ZodError } from 'zod';
import type { FieldIssue } from './app-error';
import { ValidationError } from './errors';

/** Turns zod's issues into field issues with dotted paths (`items.0.quantity`); the root is `(body)`. */
export function fieldIssues(error: ZodError): FieldIssue[] {
  return error.issues.map((issue) => ({
    path: issue.path.length > 0 ? issue.path.map(String).join('.') : '(body)',
    message: issue.message,
  }));
}

/** A {@link ValidationError} naming every failing field, for `what` (e.g. "request body"). */
export function validationErrorFrom(error: ZodError, what: string): ValidationError {
  const issues = fieldIssues(error);
  const fields = [...new Set(issues.map((i) => i.path))].join(', ');
  return new ValidationError(`Invalid ${what}: ${fields}`, issues);
}
