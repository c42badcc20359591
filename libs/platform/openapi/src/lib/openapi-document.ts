/** A JSON Schema (draft 2020-12, the dialect of OpenAPI 3.1) as plain data. */
export type JsonSchema = Record<string, unknown>;

/** One response of an operation: a description and, unless it has no body, content per media type. */
export interface OpenApiResponse {
  description: string;
  content?: Record<string, { schema?: JsonSchema }>;
  headers?: Record<string, unknown>;
  [extension: string]: unknown;
}

/** A parameter (path, query, header or cookie). */
export interface OpenApiParameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: JsonSchema;
  description?: string;
  [extension: string]: unknown;
}

/** One operation (a method on a path). */
export interface OpenApiOperation {
  operationId?: string;
  summary?: string;
  description?: string;
  tags?: string[];
  parameters?: (OpenApiParameter | { $ref: string })[];
  requestBody?: { required?: boolean; description?: string; content: Record<string, { schema?: JsonSchema }> } | { $ref: string };
  responses: Record<string, OpenApiResponse | { $ref: string }>;
  /** Alternatives (OR) of requirements (AND); `[]` means no authentication. */
  security?: Record<string, string[]>[];
  [extension: string]: unknown;
}

/** The HTTP methods an OpenAPI path item may hold operations for. */
export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

/** A path item: operations by lower-case method, plus parameters shared by them. */
export type OpenApiPathItem = { [M in HttpMethod]?: OpenApiOperation } & {
  parameters?: (OpenApiParameter | { $ref: string })[];
  summary?: string;
  description?: string;
};

/** The parts of an OpenAPI 3.1 document this lib reads and writes; everything else is carried along as is. */
export interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string; description?: string; [extension: string]: unknown };
  servers?: { url: string; description?: string }[];
  paths: Record<string, OpenApiPathItem>;
  components?: {
    schemas?: Record<string, JsonSchema>;
    securitySchemes?: Record<string, Record<string, unknown>>;
    [kind: string]: Record<string, unknown> | undefined;
  };
  security?: Record<string, string[]>[];
  tags?: { name: string; description?: string }[];
  [extension: string]: unknown;
}

/** The operations of a document as `[path, method, operation]` triples, in document order. */
export function operationsOf(document: OpenApiDocument): [string, HttpMethod, OpenApiOperation][] {
  const found: [string, HttpMethod, OpenApiOperation][] = [];
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    for (const method of HTTP_METHODS) {
      const operation = item[method];
      if (operation) found.push([path, method, operation]);
    }
  }
  return found;
}
