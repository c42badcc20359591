import { z } from 'zod';
import { zodJsonSchema, zodSchemaConverter } from './zod-json-schema';

describe(zodJsonSchema.name, () => {
  it('closes strict objects and leaves plain ones open on input, as zod rejects or strips unknown keys', () => {
    expect(zodJsonSchema(z.strictObject({ a: z.string() }), 'input').schema).toMatchObject({ additionalProperties: false });
    expect(zodJsonSchema(z.object({ a: z.string() }), 'input').schema).not.toHaveProperty('additionalProperties');
  });

  it('documents what a schema with a default accepts (optional) and produces (required)', () => {
    const schema = z.object({ limit: z.number().int().default(50) });
    expect(zodJsonSchema(schema, 'input').schema).not.toHaveProperty('required');
    expect(zodJsonSchema(schema, 'output').schema).toMatchObject({ required: ['limit'] });
  });

  it('documents a string normalised and then checked against a format with that format, on input only', () => {
    const email = z.string().trim().max(254).pipe(z.email());
    expect(zodJsonSchema(email, 'input').schema).toMatchObject({ type: 'string', maxLength: 254, format: 'email', pattern: expect.any(String) });
    expect(zodJsonSchema(z.string().pipe(z.coerce.number()), 'input').schema).toEqual({ type: 'string' });
  });

  it('moves named definitions to components and points refs at them, without a $schema', () => {
    const Item = z.object({ id: z.string() }).meta({ id: 'Item' });
    const converted = zodJsonSchema(z.object({ a: Item, b: Item }), 'output');
    expect(converted.schema).not.toHaveProperty('$schema');
    expect(converted.schema['properties']).toEqual({ a: { $ref: '#/components/schemas/Item' }, b: { $ref: '#/components/schemas/Item' } });
    expect(converted.definitions['Item']).toMatchObject({ type: 'object' });
  });
});

describe(zodSchemaConverter.name, () => {
  it('converts zod schemas and leaves other standard schemas to @nestjs/swagger', () => {
    expect(zodSchemaConverter(z.string().min(2), { schemaType: 'input' })).toEqual({ schema: { type: 'string', minLength: 2 }, components: {} });
    expect(zodSchemaConverter({ '~standard': { version: 1 } }, { schemaType: 'input' })).toBeUndefined();
  });
});
