import { type OpenApiDocument, type OpenApiOperation, type OpenApiParameter, type OpenApiResponse, operationsOf } from './openapi-document';
import { PROBLEM_SCHEMA, PROBLEM_SCHEMA_NAME, problemResponse } from './problem.schema';
import type { RouteFacts } from './route-facts';

/** Name of the bearer (user access token, a JWT) security scheme. */
export const USER_TOKEN_SCHEME = 'userToken';

/**
 * Completes a document `@nestjs/swagger` built with what the platform guarantees for every route:
 * bearer security on routes that need a user token, the error statuses each route can answer as
 * `application/problem+json` (the global problem-details filter sends every error so), query
 * parameters whose schema accepts `undefined` marked optional, and the shared `Problem` schema.
 * Pure: returns a new document.
 */
export function applyPlatformConventions(document: OpenApiDocument, facts: readonly RouteFacts[]): OpenApiDocument {
  const byId = new Map(facts.map((fact) => [fact.operationId, fact]));
  const result: OpenApiDocument = structuredClone(document);
  for (const [path, , operation] of operationsOf(result)) {
    const fact = operation.operationId ? byId.get(operation.operationId) : undefined;
    if (fact) describe(operation, fact, path.includes('{'));
    operation.responses = asProblems(withJsonSuccess(operation.responses));
    operation.parameters = operation.parameters?.filter((parameter) => !('in' in parameter && parameter.in === 'header' && IGNORED_HEADERS.has(parameter.name.toLowerCase())));
    if (operation.parameters?.length === 0) delete operation.parameters;
  }
  result.components = {
    ...result.components,
    schemas: { ...result.components?.schemas, [PROBLEM_SCHEMA_NAME]: PROBLEM_SCHEMA },
    securitySchemes: {
      ...result.components?.securitySchemes,
      [USER_TOKEN_SCHEME]: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: "The end user's access token from identity's /login." },
    },
  };
  return result;
}

/** OpenAPI 3.1 §4.8.12.1: header parameters with these names are ignored; security schemes describe Authorization. */
const IGNORED_HEADERS = new Set(['accept', 'content-type', 'authorization']);

/**
 * A handler with a body but no `@ApiZodResponse` (e.g. a lib's controller) still answers JSON: documented
 * as any JSON (`{}`), so the document stays truthful about the content type.
 */
function withJsonSuccess(responses: OpenApiOperation['responses']): OpenApiOperation['responses'] {
  return Object.fromEntries(
    Object.entries(responses).map(([status, response]) =>
      /^2/.test(status) && status !== '204' && !('$ref' in response) && !response.content
        ? [status, { ...response, description: response.description || 'Success.', content: { 'application/json': { schema: {} } } }]
        : [status, response],
    ),
  );
}

function describe(operation: OpenApiOperation, fact: RouteFacts, hasPathParameters: boolean): void {
  operation.tags ??= [fact.operationId.split('_')[0]];
  if (fact.access === 'user') operation.security = [{ [USER_TOKEN_SCHEME]: [] }];
  else delete operation.security;
  // 431: the HTTP server refuses a request line and headers over Node's 16 KiB before any route runs.
  const statuses = new Set<string>(['431', '5XX']);
  if (fact.access !== 'anonymous') statuses.add('401');
  if (fact.restricted) statuses.add('403');
  // 414: the router refuses a path parameter over its length limit (Fastify's maxParamLength) before the route runs.
  if (hasPathParameters) ['404', '414'].forEach((status) => statuses.add(status));
  if (fact.validatesBody) ['400', '413', '415', '422'].forEach((status) => statuses.add(status));
  if (fact.validatesParameters) statuses.add('422');
  for (const status of statuses) operation.responses[status] ??= { description: '' };
  for (const parameter of operation.parameters ?? []) {
    if ('name' in parameter && parameter.in === 'query' && fact.optionalQuery.includes(parameter.name)) (parameter as OpenApiParameter).required = false;
  }
}

/** Every 4xx/5xx response becomes problem+json with the shared schema, whatever a decorator said. */
function asProblems(responses: OpenApiOperation['responses']): OpenApiOperation['responses'] {
  const entries = Object.entries(responses).map(([status, response]) => {
    if (!/^[45]/.test(status) || '$ref' in response) return [status, response] as const;
    const problem = problemResponse(status);
    const description = (response as OpenApiResponse).description;
    return [status, { ...response, ...problem, description: description && !description.startsWith('Error,') ? description : problem.description }] as const;
  });
  return Object.fromEntries(entries.sort(([a], [b]) => a.localeCompare(b)));
}

