import { Body, Param, Query } from '@nestjs/common';
import { ZodValidationPipe } from '@nestkit/errors';
import type { ZodType } from 'zod';

/**
 * The request body, validated and parsed by `schema` (a 422 problem naming every bad field when it fails)
 * and documented as the operation's JSON request body from the same schema, so docs cannot drift from
 * validation. `z.strictObject` bodies are documented with `additionalProperties: false`.
 */
export function ZodBody<T>(schema: ZodType<T>): ParameterDecorator {
  return Body({ schema, pipes: [new ZodValidationPipe(schema)] });
}

/**
 * One query parameter, validated and parsed by `schema` and documented from it; it is documented as
 * optional when `schema` accepts `undefined` (`.optional()`, `.default()`).
 */
export function ZodQuery<T>(name: string, schema: ZodType<T>): ParameterDecorator {
  return Query(name, { schema, pipes: [new ZodValidationPipe(schema)] });
}

/** Every path parameter at once, validated by an object `schema`; each property is documented as a path parameter. */
export function ZodParams<T>(schema: ZodType<T>): ParameterDecorator {
  return Param({ schema, pipes: [new ZodValidationPipe(schema)] });
}

/** One path parameter, validated and parsed by `schema` and documented from it. */
export function ZodParam<T>(name: string, schema: ZodType<T>): ParameterDecorator {
  return Param(name, { schema, pipes: [new ZodValidationPipe(schema)] });
}
