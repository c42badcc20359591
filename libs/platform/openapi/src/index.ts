export { ApiProblems, ApiZodResponse } from './lib/api-responses.decorators';
export { GATEWAY_USER_TOKEN_SCHEME, mergeOpenApi, type ExposedRoute, type MergeOpenApiOptions, type ServiceOpenApi } from './lib/merge-openapi';
export {
  HTTP_METHODS,
  type HttpMethod,
  type JsonSchema,
  type OpenApiDocument,
  type OpenApiOperation,
  type OpenApiParameter,
  type OpenApiPathItem,
  type OpenApiResponse,
  operationsOf,
} from './lib/openapi-document';
export { applyPlatformConventions, USER_TOKEN_SCHEME } from './lib/platform-conventions';
export { PROBLEM_SCHEMA, PROBLEM_SCHEMA_NAME, problemResponse } from './lib/problem.schema';
export { buildOpenApi, OPENAPI_PATH, publishOpenApi, type PublishOpenApiOptions } from './lib/publish-openapi';
export { operationIdOf, type RouteAccess, type RouteFacts, routeFactsOf } from './lib/route-facts';
export { swaggerUi, type SwaggerUiHandler, type SwaggerUiOptions } from './lib/swagger-ui';
export { ZodBody, ZodParam, ZodParams, ZodQuery } from './lib/zod-params.decorators';
export { zodJsonSchema, zodSchemaConverter } from './lib/zod-json-schema';
