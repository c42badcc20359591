import Ajv2020 from 'ajv/dist/2020';
import { type JsonSchema, type OpenApiDocument, type OpenApiOperation, type OpenApiResponse, operationsOf } from '../openapi-document';
import { openApiProblems } from './openapi-problems';

/** A running service whose `GET /openapi.json` the suite reads. */
export interface OpenApiSubject {
  url: string;
  /** The document `publishOpenApi` returned. */
  document: OpenApiDocument;
  close(): Promise<void>;
}

/** A request the suite sends, and the status it expects; the answer must conform to the document. */
export interface OpenApiProbe {
  method: string;
  path: string;
  status: number;
  json?: unknown;
  headers?: Record<string, string>;
}

/** What `describeOpenApi` checks a service's document against. */
export interface OpenApiSuiteOptions {
  start(): Promise<OpenApiSubject>;
  /** Every operation the document must hold, and no other: `"GET /products/{id}"`. */
  operations: readonly string[];
  /** Operations whose success body is documented only as "any JSON" (handlers of other libs, e.g. health). */
  untypedBodies?: readonly string[];
  probes: readonly OpenApiProbe[];
}

/**
 * The conformance suite every service's OpenAPI document passes: served at `/openapi.json`, valid
 * (see `openApiProblems`), every schema compiling as JSON Schema 2020-12, exactly the `operations`
 * expected, each success body typed (but `untypedBodies`), and each probe's real answer documented
 * (status, content type) and matching the documented schema.
 */
export function describeOpenApi(service: string, options: OpenApiSuiteOptions): void {
  const { start, operations, probes, untypedBodies = [] } = options;
  describe(`${service} OpenAPI document`, () => {
    let sut: OpenApiSubject;
    let served: OpenApiDocument;
    const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });

    beforeAll(async () => {
      sut = await start();
      const response = await fetch(`${sut.url}/openapi.json`, { signal: AbortSignal.timeout(10_000) });
      expect(response.status).toBe(200);
      served = (await response.json()) as OpenApiDocument;
      for (const [name, schema] of Object.entries(served.components?.schemas ?? {})) ajv.addSchema(withUrnRefs(schema), urnOf(name));
    });

    afterAll(() => sut?.close());

    it('serves the document publishOpenApi returned, valid OpenAPI 3.1', () => {
      expect(served).toEqual(JSON.parse(JSON.stringify(sut.document)));
      expect(openApiProblems(served)).toEqual([]);
    });

    it('documents exactly the expected operations', () => {
      expect(operationsOf(served).map(([path, method]) => `${method.toUpperCase()} ${path}`).sort()).toEqual([...operations].sort());
    });

    it('types every success body', () => {
      const untyped = operationsOf(served)
        .filter(([, , operation]) => Object.entries(operation.responses).some(([status, response]) => status.startsWith('2') && 'content' in response && isEmptySchema(response.content?.['application/json']?.schema)))
        .map(([path, method]) => `${method.toUpperCase()} ${path}`);
      expect(untyped.sort()).toEqual([...untypedBodies].sort());
    });

    it('has schemas that compile as JSON Schema 2020-12', () => {
      for (const schema of schemasIn(served)) expect(() => ajv.compile(withUrnRefs(schema))).not.toThrow();
    });

    it.each(probes)('answers $method $path with a documented $status', async (probe) => {
      const response = await fetch(`${sut.url}${probe.path}`, {
        method: probe.method,
        headers: { ...(probe.json === undefined ? {} : { 'content-type': 'application/json' }), ...probe.headers },
        body: probe.json === undefined ? undefined : JSON.stringify(probe.json),
        signal: AbortSignal.timeout(10_000),
      });
      expect(response.status).toBe(probe.status);
      const documented = documentedResponse(served, probe.method, probe.path.split('?')[0], probe.status);
      const contentType = response.headers.get('content-type')?.split(';')[0];
      const text = await response.text();
      if (!documented.content) {
        expect(text).toBe('');
        return;
      }
      expect(Object.keys(documented.content)).toContain(contentType);
      const validate = ajv.compile(withUrnRefs(documented.content[contentType as string].schema ?? {}));
      expect(validate(JSON.parse(text)) ? [] : validate.errors).toEqual([]);
    });
  });
}

const isEmptySchema = (schema: JsonSchema | undefined): boolean => !schema || Object.keys(schema).length === 0;

function documentedResponse(document: OpenApiDocument, method: string, path: string, status: number): OpenApiResponse {
  const match = operationsOf(document).find(([template, m]) => m === method.toLowerCase() && templateMatches(template, path));
  if (!match) throw new Error(`${method} ${path} matches no documented operation`);
  const responses: OpenApiOperation['responses'] = match[2].responses;
  const response = responses[String(status)] ?? responses[`${String(status)[0]}XX`] ?? responses['default'];
  if (!response || '$ref' in response) throw new Error(`${method} ${path}: status ${status} is not documented (documented: ${Object.keys(responses).join(', ')})`);
  return response;
}

function templateMatches(template: string, path: string): boolean {
  const pattern = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[^}]+\\?\}/g, '[^/]+');
  return new RegExp(`^${pattern.replace(/\{[^}]+\}/g, '[^/]+')}$`).test(path);
}

function schemasIn(document: OpenApiDocument): JsonSchema[] {
  const schemas: JsonSchema[] = [];
  for (const [, , operation] of operationsOf(document)) {
    for (const parameter of operation.parameters ?? []) if ('schema' in parameter && parameter.schema) schemas.push(parameter.schema);
    if (operation.requestBody && 'content' in operation.requestBody) schemas.push(...Object.values(operation.requestBody.content).flatMap((media) => (media.schema ? [media.schema] : [])));
    for (const response of Object.values(operation.responses)) {
      if ('content' in response && response.content) schemas.push(...Object.values(response.content).flatMap((media) => (media.schema ? [media.schema] : [])));
    }
  }
  return schemas;
}

const urnOf = (name: string): string => `urn:openapi:schema:${name}`;

function withUrnRefs(value: unknown): JsonSchema {
  return JSON.parse(JSON.stringify(value), (key, child: unknown) =>
    key === '$ref' && typeof child === 'string' && child.startsWith('#/components/schemas/') ? urnOf(child.slice('#/components/schemas/'.length)) : child,
  ) as JsonSchema;
}
