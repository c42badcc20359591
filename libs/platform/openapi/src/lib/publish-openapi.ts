import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { OpenApiDocument } from './openapi-document';
import { applyPlatformConventions } from './platform-conventions';
import { operationIdOf, routeFactsOf } from './route-facts';
import { zodSchemaConverter } from './zod-json-schema';

/** Where every service serves its document. */
export const OPENAPI_PATH = '/openapi.json';

/** What `publishOpenApi` stamps on the document. */
export interface PublishOpenApiOptions {
  /** Service name, as registered in discovery; the default title. */
  service: string;
  /** The service's version, e.g. its package version. */
  version: string;
  title?: string;
  description?: string;
}

/**
 * Builds the service's OpenAPI 3.1 document from its Nest app and serves it at `GET /openapi.json`
 * (a plain Fastify route: no guard, no auth, so the gateway and tools can always read it).
 *
 * The document comes from `@nestjs/swagger`'s scan of the controllers, with zod schemas converted to
 * JSON Schema 2020-12 (request bodies and parameters from the schemas the handlers validate with,
 * `@Body({ schema })` / `ZodBody`; responses from `@ApiZodResponse`), then completed from the auth
 * decorators and route shapes (see `applyPlatformConventions`). Call it after `NestFactory.create` and
 * before `listen`; it returns the document it serves.
 */
export function publishOpenApi(app: NestFastifyApplication, options: PublishOpenApiOptions): OpenApiDocument {
  const document = buildOpenApi(app, options);
  const body = JSON.stringify(document);
  app
    .getHttpAdapter()
    .getInstance()
    .get(OPENAPI_PATH, (_request, reply) => {
      void reply.header('content-type', 'application/json; charset=utf-8').header('cache-control', 'no-cache').send(body);
    });
  return document;
}

/** Builds the document `publishOpenApi` serves, without serving it. Works on any Nest application. */
export function buildOpenApi(app: Parameters<typeof SwaggerModule.createDocument>[0], options: PublishOpenApiOptions): OpenApiDocument {
  const config = new DocumentBuilder()
    .setOpenAPIVersion('3.1.0')
    .setTitle(options.title ?? options.service)
    .setDescription(options.description ?? `The ${options.service} service's HTTP API. Errors are RFC 9457 application/problem+json.`)
    .setVersion(options.version)
    .build();
  const scanned = SwaggerModule.createDocument(app, config, {
    operationIdFactory: (controllerKey, methodKey) => operationIdOf(controllerKey, methodKey),
    standardSchemaConverter: zodSchemaConverter,
    // Tagged by conventions from the operationId (`products`), not by class name (`ProductsHttp`).
    autoTagControllers: false,
  });
  return applyPlatformConventions(scanned as unknown as OpenApiDocument, routeFactsOf(app));
}
