import type { DynamicModule, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { ProblemDetailsFilter } from '@nestkit/errors';
import { publishOpenApi } from '../publish-openapi';
import type { OpenApiSubject } from './openapi-suite';

/**
 * Starts `module` as `bootstrapService` does (Fastify, the problem-details filter), publishes its
 * OpenAPI document and listens on 127.0.0.1 at a free port: the subject of `describeOpenApi`.
 */
export async function startWithOpenApi(service: string, module: Type<unknown> | DynamicModule): Promise<OpenApiSubject> {
  const app = await NestFactory.create<NestFastifyApplication>(module, new FastifyAdapter(), { logger: false, abortOnError: false });
  app.useGlobalFilters(new ProblemDetailsFilter());
  const document = publishOpenApi(app, { service, version: '0.0.0-test' });
  await app.listen({ port: 0, host: '127.0.0.1' });
  return { url: await app.getUrl(), document, close: () => app.close() };
}
