import type { INestApplication, Type } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { ModulesContainer } from '@nestjs/core';
import { Anonymous, Permissions, Public, Roles, ServiceOnly } from '@nestkit/auth';

/** Who may call a route, read from the `@nestkit/auth` decorators the guard enforces. */
export type RouteAccess = 'anonymous' | 'public' | 'user' | 'service';

/** What `publishOpenApi` needs to know about one handler to document its security and errors. */
export interface RouteFacts {
  operationId: string;
  access: RouteAccess;
  /** `@Roles`, `@Permissions` or `@ServiceOnly`: the route can answer 403. */
  restricted: boolean;
  /** The body is validated by a schema (`@Body({ schema })`, `ZodBody`). */
  validatesBody: boolean;
  /** Some path or query parameter is validated by a schema. */
  validatesParameters: boolean;
  /** Named query parameters whose schema accepts `undefined`, so they are optional. */
  optionalQuery: string[];
}

/** How `publishOpenApi` names operations: `<controller>_<method>`, controller without its `Controller` suffix. */
export function operationIdOf(controllerKey: string, methodKey: string): string {
  const controller = controllerKey.replace(/(Http)?Controller$/, '');
  return `${controller.charAt(0).toLowerCase()}${controller.slice(1)}_${methodKey}`;
}

interface RouteArgument {
  index: number;
  data?: unknown;
  schema?: { '~standard'?: { validate(value: unknown): unknown } };
}

const keyOf = (decorator: { KEY: string }): string => decorator.KEY;
const PUBLIC = keyOf(Public());
const ANONYMOUS = keyOf(Anonymous());
const SERVICE_ONLY = keyOf(ServiceOnly());
const RESTRICTING = [keyOf(Roles()), keyOf(Permissions())];

/** Facts about every HTTP handler of every controller the application registered. */
export function routeFactsOf(app: INestApplication): RouteFacts[] {
  const facts: RouteFacts[] = [];
  for (const module of app.get(ModulesContainer, { strict: false }).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as Type<unknown> | undefined;
      if (controller) facts.push(...handlerFacts(controller));
    }
  }
  return facts;
}

function handlerFacts(controller: Type<unknown>): RouteFacts[] {
  const prototype = controller.prototype as Record<string, unknown>;
  return Object.getOwnPropertyNames(prototype)
    .filter((name) => name !== 'constructor' && typeof prototype[name] === 'function')
    .filter((name) => Reflect.getMetadata(PATH_METADATA, prototype[name] as object) !== undefined && Reflect.getMetadata(METHOD_METADATA, prototype[name] as object) !== undefined)
    .map((name) => factsFor(controller, name, prototype[name] as object));
}

function factsFor(controller: Type<unknown>, methodKey: string, handler: object): RouteFacts {
  const read = (key: string): unknown => Reflect.getMetadata(key, handler) ?? Reflect.getMetadata(key, controller);
  const access: RouteAccess = read(ANONYMOUS) ? 'anonymous' : read(PUBLIC) ? 'public' : read(SERVICE_ONLY) ? 'service' : 'user';
  const restricted = access === 'service' || RESTRICTING.some((key) => ((read(key) as unknown[] | undefined) ?? []).length > 0);
  const args = Object.entries((Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, methodKey) ?? {}) as Record<string, RouteArgument>);
  const validated = args.filter(([, arg]) => arg.schema !== undefined).map(([key, arg]) => ({ type: Number(key.split(':')[0]), arg }));
  return {
    operationId: operationIdOf(controller.name, methodKey),
    access,
    restricted,
    validatesBody: validated.some(({ type }) => type === RouteParamtypes.BODY),
    validatesParameters: validated.some(({ type }) => type === RouteParamtypes.QUERY || type === RouteParamtypes.PARAM),
    optionalQuery: validated
      .filter(({ type, arg }) => type === RouteParamtypes.QUERY && typeof arg.data === 'string' && acceptsUndefined(arg.schema))
      .map(({ arg }) => arg.data as string),
  };
}

function acceptsUndefined(schema: RouteArgument['schema']): boolean {
  const result = schema?.['~standard']?.validate(undefined) as { issues?: unknown } | Promise<unknown> | undefined;
  return !!result && !(result instanceof Promise) && result.issues === undefined;
}
