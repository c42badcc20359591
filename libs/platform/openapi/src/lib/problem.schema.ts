import { PROBLEM_CONTENT_TYPE } from '@nestkit/errors';
import type { JsonSchema, OpenApiResponse } from './openapi-document';

/** Name of the shared RFC 9457 problem schema under `components.schemas`. */
export const PROBLEM_SCHEMA_NAME = 'Problem';

/**
 * The RFC 9457 problem document every error leaves the platform as (`@nestkit/errors`' `ProblemDetails`):
 * the standard members, plus the platform's `code`, field `errors`, `traceId` and `retryAfterSec`.
 * Extra members are allowed, as RFC 9457 §3.2 lets a problem type add its own.
 */
export const PROBLEM_SCHEMA: JsonSchema = {
  type: 'object',
  description: 'RFC 9457 problem details.',
  required: ['type', 'title', 'status', 'detail', 'code'],
  properties: {
    type: { type: 'string', format: 'uri-reference', description: 'Identifies the problem type; ends with `code`.' },
    title: { type: 'string', description: 'Short summary of the status.' },
    status: { type: 'integer', minimum: 400, maximum: 599 },
    detail: { type: 'string', description: 'What went wrong, for a person.' },
    instance: { type: 'string', description: 'The request path that failed.' },
    code: { type: 'string', description: 'Stable, machine-readable cause such as `orders.order-not-found`.' },
    errors: {
      type: 'array',
      description: 'One entry per rejected field of the input.',
      items: {
        type: 'object',
        required: ['path', 'message'],
        properties: { path: { type: 'string', description: 'Dotted path, e.g. `items.0.quantity`.' }, message: { type: 'string' } },
      },
    },
    traceId: { type: 'string' },
    retryAfterSec: { type: 'integer', minimum: 0, description: 'Seconds until a rate-limited caller may retry (also `Retry-After`).' },
  },
};

const DESCRIPTIONS: Record<string, string> = {
  '400': 'Malformed request (e.g. a body that is not valid JSON, or a path parameter that encodes a slash, dot or backslash).',
  '401': 'Missing, invalid or expired credentials.',
  '403': 'Authenticated, but lacking a required role or permission.',
  '404': 'The resource does not exist (or is not yours).',
  '409': 'Conflicts with the current state of the resource.',
  '413': 'Request body too large.',
  '414': 'A path parameter is longer than the router accepts.',
  '415': 'Unsupported content type.',
  '422': 'Input failed validation; `errors` names every rejected field.',
  '429': 'Too many requests; retry after `retryAfterSec` seconds.',
  '431': 'Request line and headers too large (e.g. a very long query string).',
  '5XX': 'The service or one of its dependencies failed or is unavailable.',
};

/** A problem+json response for `status` (a code such as `404`, or a range such as `5XX`), referring to the shared schema. */
export function problemResponse(status: string, ref = `#/components/schemas/${PROBLEM_SCHEMA_NAME}`): OpenApiResponse {
  return {
    description: DESCRIPTIONS[status] ?? 'Error, as RFC 9457 problem details.',
    content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: ref } } },
  };
}
