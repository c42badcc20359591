import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dirname, join } from 'node:path';
import type { OpenApiDocument } from './openapi-document';

/** Where Swagger UI is served and, optionally, the document it shows. */
export interface SwaggerUiOptions {
  /** Path Swagger UI is served at, e.g. '/docs'; the document is expected at `${base}/openapi.json`. */
  base: string;
  /** Page title (default 'API'). */
  title?: string;
  /** When given, the handler also answers `GET ${base}/openapi.json` with it (called per request, so it may change). */
  document?: () => OpenApiDocument | undefined;
}

/** A plain Node handler: answers and returns true for its own paths, returns false (touching nothing) for any other. */
export type SwaggerUiHandler = (request: IncomingMessage, response: ServerResponse) => boolean;

const ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'index.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'swagger-ui-standalone-preset.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
  'favicon-16x16.png': 'image/png',
};

/**
 * Serves Swagger UI at `base`: the index page, its assets from the `swagger-ui-dist` package (read
 * once, no CDN) and an initializer script pointing the UI at `${base}/openapi.json`. No inline script,
 * so a `script-src 'self'` content security policy (helmet's default) allows it. Only GET and HEAD are
 * answered. Mount it before the proxy, e.g. in a Fastify `onRequest` hook:
 * `if (docs(request.raw, reply.raw)) reply.hijack();`.
 */
export function swaggerUi(options: SwaggerUiOptions): SwaggerUiHandler {
  const base = options.base.replace(/\/+$/, '');
  const dist = dirname(require.resolve('swagger-ui-dist/package.json'));
  const files = new Map<string, { body: Buffer; type: string }>(Object.entries(ASSETS).map(([name, type]) => [`${base}/${name}`, { body: readFileSync(join(dist, name)), type }]));
  files.set(`${base}/swagger-initializer.js`, { body: Buffer.from(initializer(`${base}/openapi.json`)), type: 'text/javascript; charset=utf-8' });
  const index = { body: Buffer.from(indexHtml(base, options.title ?? 'API')), type: 'text/html; charset=utf-8' };
  files.set(base === '' ? '/' : base, index);
  files.set(`${base}/`, index);
  files.set(`${base}/index.html`, index);
  return (request, response) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return false;
    const path = (request.url ?? '/').split('?')[0];
    if (options.document && path === `${base}/openapi.json`) {
      const document = options.document();
      if (!document) return false;
      return send(request, response, { body: Buffer.from(JSON.stringify(document)), type: 'application/json; charset=utf-8' }, 'no-cache');
    }
    const file = files.get(path);
    return file ? send(request, response, file, 'public, max-age=3600') : false;
  };
}

function send(request: IncomingMessage, response: ServerResponse, file: { body: Buffer; type: string }, cacheControl: string): true {
  response.writeHead(200, { 'content-type': file.type, 'content-length': file.body.length, 'cache-control': cacheControl, 'x-content-type-options': 'nosniff' });
  response.end(request.method === 'HEAD' ? undefined : file.body);
  return true;
}

function indexHtml(base: string, title: string): string {
  const escaped = title.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>${escaped}</title>
  <link rel="stylesheet" href="${base}/swagger-ui.css">
  <link rel="stylesheet" href="${base}/index.css">
  <link rel="icon" type="image/png" href="${base}/favicon-32x32.png" sizes="32x32">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="${base}/swagger-ui-bundle.js"></script>
  <script src="${base}/swagger-ui-standalone-preset.js"></script>
  <script src="${base}/swagger-initializer.js"></script>
</body>
</html>
`;
}

function initializer(url: string): string {
  return `window.onload = function () {
  window.ui = SwaggerUIBundle({
    url: ${JSON.stringify(url)},
    dom_id: '#swagger-ui',
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    layout: 'StandaloneLayout',
  });
};
`;
}
