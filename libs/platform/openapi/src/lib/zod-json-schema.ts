import type { StandardSchemaConversionResult } from '@nestjs/swagger';
import { z } from 'zod';
import type { JsonSchema } from './openapi-document';

/**
 * Converts a zod schema to the JSON Schema dialect of OpenAPI 3.1 (draft 2020-12), for what the schema
 * accepts (`input`, e.g. a request body before transforms and defaults) or what it produces (`output`).
 * `z.strictObject` becomes `additionalProperties: false`; a plain `z.object` stays open, as zod strips
 * unknown keys instead of rejecting them. Parts JSON Schema cannot express (transforms, refinements)
 * are documented by what they accept.
 */
export function zodJsonSchema(schema: z.ZodType, io: 'input' | 'output'): { schema: JsonSchema; definitions: Record<string, JsonSchema> } {
  const converted = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any', reused: 'inline', override: io === 'input' ? documentStringPipe : undefined }) as JsonSchema;
  const { $defs, ...rest } = converted;
  // The dialect is the document's (OpenAPI 3.1: draft 2020-12), not repeated per schema.
  delete rest['$schema'];
  return { schema: rewriteRefs(rest) as JsonSchema, definitions: rewriteRefs($defs ?? {}) as Record<string, JsonSchema> };
}

/**
 * A `standardSchemaConverter` for `SwaggerModule.createDocument`: zod schemas (from `@Body({ schema })`,
 * `@ApiResponse({ standardSchema })` and the decorators of this lib) become OpenAPI 3.1 schemas; any
 * other standard schema is left to `@nestjs/swagger` (which targets OpenAPI 3.0).
 */
export function zodSchemaConverter(schema: unknown, options: { schemaType: 'input' | 'output' }): StandardSchemaConversionResult | undefined {
  if (!(schema instanceof z.ZodType)) return undefined;
  const converted = zodJsonSchema(schema, options.schemaType);
  return { schema: converted.schema, components: converted.definitions };
}

/**
 * zod documents a pipe's input by its first stage only, so `z.string().trim().max(254).pipe(z.email())`
 * (normalise, then check the format) would read as any string up to 254 characters. A string piped into
 * a string format is documented with the format and pattern it must meet, which is what a client has to
 * send (the runtime also forgives surrounding spaces the first stage trims).
 */
function documentStringPipe(ctx: { zodSchema: z.core.$ZodTypes; jsonSchema: z.core.JSONSchema.BaseSchema }): void {
  const def = ctx.zodSchema._zod.def;
  if (def.type !== 'pipe' || def.in._zod.def.type !== 'string' || def.out._zod.def.type !== 'string' || ctx.jsonSchema.type !== 'string') return;
  const target = z.toJSONSchema(def.out as z.ZodType, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' });
  for (const key of ['format', 'pattern'] as const) {
    if (target[key] !== undefined) ctx.jsonSchema[key] ??= target[key];
  }
}

function rewriteRefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(rewriteRefs);
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, child]) =>
      key === '$ref' && typeof child === 'string' ? [key, child.replace('#/$defs/', '#/components/schemas/')] : [key, rewriteRefs(child)],
    ),
  );
}
