import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import type { ZodType } from 'zod';

/**
 * Documents a success response of a handler with the zod schema its body conforms to (the schema's
 * output side), e.g. `@ApiZodResponse(200, z.array(Product))`. Use it on every handler that returns a body.
 */
export function ApiZodResponse(status: number, schema: ZodType, description = 'Success.'): MethodDecorator & ClassDecorator {
  return ApiResponse({ status, description, standardSchema: schema });
}

/**
 * Documents the error statuses a handler answers beyond the ones `publishOpenApi` derives from the
 * route itself (401 on authenticated routes, 403 with roles or permissions, 404 with path parameters,
 * 400/413/415/422 with a validated body, 422 with validated parameters, 5XX everywhere): for example
 * `@ApiProblems(409)` for a conflict the service raises. Each is documented as `application/problem+json`.
 */
export function ApiProblems(...statuses: number[]): MethodDecorator & ClassDecorator {
  return applyDecorators(...statuses.map((status) => ApiResponse({ status, description: 'Error, as RFC 9457 problem details.' })));
}
