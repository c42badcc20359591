import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { swaggerUi } from './swagger-ui';

describe(swaggerUi.name, () => {
  let server: Server;
  let base: string;
  let passedOn: string[];

  beforeAll(async () => {
    const sut = swaggerUi({ base: '/docs', title: 'Shop <API>', document: () => ({ openapi: '3.1.0', info: { title: 't', version: '1' }, paths: {} }) });
    passedOn = [];
    server = createServer((request, response) => {
      if (sut(request, response)) return;
      passedOn.push(`${request.method} ${request.url}`);
      response.writeHead(404).end();
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => server.close());

  const get = (path: string, method = 'GET') => fetch(`${base}${path}`, { method, signal: AbortSignal.timeout(5_000) });

  it('serves an index page with no inline script, escaping the title', async () => {
    const response = await get('/docs');
    const html = await response.text();
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(html).toContain('<title>Shop &#60;API&#62;</title>');
    expect(html.match(/<script[^>]*>/g)).toEqual(['<script src="/docs/swagger-ui-bundle.js">', '<script src="/docs/swagger-ui-standalone-preset.js">', '<script src="/docs/swagger-initializer.js">']);
  });

  it('serves the assets from swagger-ui-dist and an initializer pointed at base/openapi.json', async () => {
    const bundle = await get('/docs/swagger-ui-bundle.js');
    expect(bundle.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect((await bundle.text()).length).toBeGreaterThan(100_000);
    expect(await (await get('/docs/swagger-initializer.js')).text()).toContain('url: "/docs/openapi.json"');
    expect((await get('/docs/swagger-ui.css')).status).toBe(200);
  });

  it('serves the document when given one', async () => {
    expect(await (await get('/docs/openapi.json')).json()).toMatchObject({ openapi: '3.1.0' });
  });

  it('passes on other paths and methods untouched', async () => {
    expect((await get('/docs/nope.js')).status).toBe(404);
    expect((await get('/docs', 'POST')).status).toBe(404);
    expect((await get('/api/catalog/products')).status).toBe(404);
    expect(passedOn).toEqual(['GET /docs/nope.js', 'POST /docs', 'GET /api/catalog/products']);
  });
});
