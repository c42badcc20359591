import { HTTP_METHODS, type OpenApiDocument, type OpenApiOperation, type OpenApiParameter, operationsOf } from '../openapi-document';

/**
 * The ways `document` breaks OpenAPI 3.1 or the platform's rules for it, one sentence each (empty when
 * none): version and info, path templates and their path parameters, unique operationIds, a 2xx
 * response with a JSON schema on every operation (except 204), problem+json on every error response,
 * every `$ref` resolving, every security requirement naming a declared scheme. Structural only: it
 * does not check JSON Schema keywords (compile the schemas with a 2020-12 validator for that).
 */
export function openApiProblems(document: OpenApiDocument): string[] {
  const problems: string[] = [];
  if (!/^3\.1\.\d+$/.test(document.openapi ?? '')) problems.push(`openapi is "${document.openapi}", expected 3.1.x`);
  if (!document.info?.title || !document.info?.version) problems.push('info.title and info.version are required');
  const ids = new Map<string, string>();
  for (const [path, method, operation] of operationsOf(document)) {
    const where = `${method.toUpperCase()} ${path}`;
    if (!path.startsWith('/')) problems.push(`${where}: paths must start with "/"`);
    if (!operation.operationId) problems.push(`${where}: no operationId`);
    else if (ids.has(operation.operationId)) problems.push(`${where}: operationId ${operation.operationId} also used by ${ids.get(operation.operationId)}`);
    else ids.set(operation.operationId, where);
    problems.push(...pathParameterProblems(where, path, [...(document.paths[path].parameters ?? []), ...(operation.parameters ?? [])] as OpenApiParameter[]));
    problems.push(...responseProblems(where, operation));
    for (const requirement of operation.security ?? document.security ?? []) {
      for (const scheme of Object.keys(requirement)) {
        if (!document.components?.securitySchemes?.[scheme]) problems.push(`${where}: security scheme "${scheme}" is not declared`);
      }
    }
  }
  for (const ref of refsIn(document)) {
    if (resolve(document, ref) === undefined) problems.push(`$ref ${ref} does not resolve`);
  }
  for (const key of Object.keys(document.paths ?? {}).flatMap((path) => Object.keys(document.paths[path]))) {
    if (![...HTTP_METHODS, 'parameters', 'summary', 'description', 'servers', '$ref'].includes(key)) problems.push(`unknown path item member "${key}"`);
  }
  return problems;
}

function pathParameterProblems(where: string, path: string, parameters: OpenApiParameter[]): string[] {
  const templated = [...path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]);
  const declared = parameters.filter((parameter) => parameter.in === 'path');
  const problems = templated.filter((name) => !declared.some((p) => p.name === name)).map((name) => `${where}: path parameter {${name}} is not declared`);
  for (const parameter of declared) {
    if (!templated.includes(parameter.name)) problems.push(`${where}: path parameter "${parameter.name}" is not in the path`);
    if (parameter.required !== true) problems.push(`${where}: path parameter "${parameter.name}" must be required`);
  }
  return problems;
}

function responseProblems(where: string, operation: OpenApiOperation): string[] {
  const problems: string[] = [];
  const statuses = Object.keys(operation.responses ?? {});
  const success = statuses.filter((status) => status.startsWith('2'));
  if (success.length === 0) problems.push(`${where}: no 2xx response`);
  for (const status of statuses) {
    const response = operation.responses[status];
    if ('$ref' in response) continue;
    if (!/^([1-5]\d\d|[1-5]XX|default)$/.test(status)) problems.push(`${where}: response key "${status}" is not a status`);
    if (typeof response.description !== 'string' || response.description === '') problems.push(`${where} ${status}: no description`);
    if (status.startsWith('2') && status !== '204' && !response.content?.['application/json']?.schema) problems.push(`${where} ${status}: no application/json schema`);
    if (/^[45]/.test(status) && !response.content?.['application/problem+json']?.schema) problems.push(`${where} ${status}: not application/problem+json`);
  }
  return problems;
}

function refsIn(value: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(value)) value.forEach((item) => refsIn(item, found));
  else if (value && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      if (key === '$ref' && typeof child === 'string') found.add(child);
      else refsIn(child, found);
    }
  }
  return found;
}

function resolve(document: OpenApiDocument, ref: string): unknown {
  if (!ref.startsWith('#/')) return undefined;
  return ref
    .slice(2)
    .split('/')
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<unknown>((node, segment) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[segment] : undefined), document);
}
