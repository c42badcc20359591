import { once } from 'node:events';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { GatewayHarness, TestUpstream, until } from '../testing/gateway-harness';

const MB = 1024 * 1024;
const ROUTES = `
routes:
  - { path: /api/files/upload, methods: [POST, PUT], service: files, rewrite: { stripPrefix: /api/files }, auth: public, bodyLimitBytes: ${MB} }
  - { path: /api/files/*, service: files, rewrite: { stripPrefix: /api/files, addPrefix: /v1 }, auth: public }
  - { path: /api/files/private/*, service: files, rewrite: { stripPrefix: /api/files } }
`;

/**
 * Issue 10's proxy path: streaming both ways, the body limit while streaming, client aborts, forwarded
 * headers, SSE. (The gateway's memory while streaming is measured on its own process, in e2e.)
 */
describe('gateway proxy path', () => {
  let harness: GatewayHarness;
  let files: TestUpstream;
  const received = new Map<string, number>();
  const aborted = new Set<string>();
  let seeFirstEvent: () => void = () => undefined;
  const firstEventSeen = new Promise<void>((resolve) => (seeFirstEvent = resolve));

  beforeAll(async () => {
    files = await TestUpstream.start({ service: 'files', id: 'files-1' }, (req, res) => {
      const tag = String(req.headers['x-test'] ?? '');
      if (req.url?.startsWith('/upload')) {
        let bytes = 0;
        req.on('data', (chunk: Buffer) => (bytes += chunk.length));
        req.on('end', () => {
          received.set(tag, bytes);
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ bytes }));
        });
        req.on('close', () => received.set(tag, received.get(tag) ?? bytes));
        return;
      }
      if (req.url === '/v1/download') {
        // 20 MB written as fast as the socket drains, never buffered whole on this side either.
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(20 * MB) });
        const chunk = Buffer.alloc(64 * 1024, 7);
        let sent = 0;
        const pump = () => {
          while (sent < 20 * MB) {
            sent += chunk.length;
            if (!res.write(chunk)) return void res.once('drain', pump);
          }
          res.end();
        };
        pump();
        return;
      }
      if (req.url === '/v1/hang') {
        res.on('close', () => aborted.add(tag));
        return; // never answers: the client gives up
      }
      if (req.url === '/v1/events') {
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
        res.write('data: one\n\n');
        // The second event waits until the client has the first: a gateway that held the stream back deadlocks here.
        void firstEventSeen.then(() => res.end('data: two\n\n'));
        return;
      }
      req.resume();
      res.writeHead(200, { 'content-type': 'application/json', connection: 'keep-alive, x-hop', 'keep-alive': 'timeout=99', 'x-hop': 'connection-scoped' });
      res.end(JSON.stringify({ url: req.url, headers: req.headers }));
    });
    harness = await GatewayHarness.start(ROUTES, { HEADERS_TIMEOUT_MS: '1000', REQUEST_TIMEOUT_MS: '2000' });
  });

  afterAll(async () => {
    await harness?.close();
    await files?.close();
  });

  it('refuses an upload whose Content-Length is over the route limit with 413 problem+json; 0 bytes reach the service', async () => {
    const { status, body, headers } = await rawUpload(harness.url, 'length', 50 * MB, false);
    expect(status).toBe(413);
    expect(headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(body)).toMatchObject({ status: 413, code: 'body-too-large' });
    expect(files.seen.filter((req) => req.headers['x-test'] === 'length')).toHaveLength(0);
  });

  it('refuses a chunked upload that passes the limit with 413 and 0 bytes at the service', async () => {
    const { status, body } = await rawUpload(harness.url, 'chunked', 50 * MB, true);
    expect(status).toBe(413);
    expect(JSON.parse(body)).toMatchObject({ code: 'body-too-large' });
    expect(files.seen.filter((req) => req.headers['x-test'] === 'chunked')).toHaveLength(0);
  });

  it('streams an upload within the limit to the service whole', async () => {
    const response = await fetch(`${harness.url}/api/files/upload`, { method: 'POST', headers: { 'x-test': 'ok', 'content-type': 'application/octet-stream' }, body: Buffer.alloc(MB - 10, 1) });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ bytes: MB - 10 });
  });

  it('streams a download with its length, in order and whole', async () => {
    const response = await fetch(`${harness.url}/api/files/download`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-length')).toBe(String(20 * MB));
    let bytes = 0;
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) bytes += chunk.length;
    expect(bytes).toBe(20 * MB);
  });

  it('aborts the upstream call when the client goes away mid-request', async () => {
    const controller = new AbortController();
    const pending = fetch(`${harness.url}/api/files/hang`, { headers: { 'x-test': 'gone' }, signal: controller.signal }).catch((error: unknown) => error);
    await until('the upstream to receive the request', () => files.seen.some((req) => req.headers['x-test'] === 'gone'));
    controller.abort();
    await pending;
    await until('the upstream request to be aborted', () => aborted.has('gone'), 2_000);
  });

  it('removes hop-by-hop headers, ignores a spoofed X-Forwarded-For and never forwards a client x-service-authorization', async () => {
    const response = await fetch(`${harness.url}/api/files/echo?q=1`, {
      headers: { 'x-forwarded-for': '6.6.6.6', 'x-service-authorization': 'Bearer forged', 'x-custom': 'kept', te: 'trailers', 'x-request-id': 'req-abc' },
    });
    expect(response.status).toBe(200);
    const { url, headers } = (await response.json()) as { url: string; headers: Record<string, string> };
    expect(url).toBe('/v1/echo?q=1');
    expect(headers['x-forwarded-for']).toBe('127.0.0.1');
    expect(headers['forwarded']).toBe('for=127.0.0.1;proto=http;host="' + new URL(harness.url).host + '"');
    expect(headers['x-service-authorization']).toBeUndefined();
    expect(headers['te']).toBeUndefined();
    expect(headers['x-custom']).toBe('kept');
    expect(headers['x-request-id']).toBe('req-abc');
    expect(headers['traceparent']).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$/);
    expect(headers['x-request-deadline']).toMatch(/^\d+$/);
    // The upstream's own hop-by-hop headers stay on its side too.
    expect(response.headers.get('keep-alive')).not.toBe('timeout=99');
    expect(response.headers.get('x-hop')).toBeNull();
    expect(response.headers.get('x-request-id')).toBe('req-abc');
    expect(response.headers.get('x-served-by')).toBe('files-1');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('passes server-sent events through as they are sent', async () => {
    const response = await fetch(`${harness.url}/api/files/events`);
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toContain('data: one');
    // Only now does the upstream send the second event and end the stream.
    seeFirstEvent();
    let rest = '';
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) rest += new TextDecoder().decode(chunk.value);
    expect(rest).toContain('data: two');
  });

  it('cuts off a client that sends its headers too slowly (slowloris) with 408, and one whose body never ends', async () => {
    const { hostname, port } = new URL(harness.url);
    const slow = connect(Number(port), hostname);
    await once(slow, 'connect');
    const started = performance.now();
    slow.write('GET /api/files/echo HTTP/1.1\r\nhost: x\r\n');
    const trickle = setInterval(() => slow.write('x-slow: 1\r\n'), 200);
    let answer = '';
    for await (const chunk of slow) answer += String(chunk);
    clearInterval(trickle);
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    expect(answer).toContain('application/problem+json');
    expect(performance.now() - started).toBeLessThan(3_500);

    const stuck = connect(Number(port), hostname);
    await once(stuck, 'connect');
    const began = performance.now();
    stuck.write('POST /api/files/upload HTTP/1.1\r\nhost: x\r\ncontent-length: 100000\r\nx-test: stuck\r\n\r\nonly-this');
    stuck.resume();
    await once(stuck, 'close');
    expect(performance.now() - began).toBeLessThan(4_500);
  });

  it('refuses dot segments and encoded slashes with 400 instead of normalising them into another route', async () => {
    for (const path of ['/api/files/a/../private/x', '/api/files/%2e%2e/private/x', '/api/files/a%2fb']) {
      const status = await rawStatus(harness.url, path);
      expect(status, path).toBe(400);
    }
  });

  it('answers an unrouted /api path with 404 problem+json gateway.no-route, and leaves other paths to Nest', async () => {
    const response = await fetch(`${harness.url}/api/nowhere/x`);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await response.json()).toMatchObject({ status: 404, code: 'gateway.no-route' });
    expect((await fetch(`${harness.url}/health/live`)).status).toBe(200);
  });

  it('answers 401 on a user route without a token and routes a valid one', async () => {
    expect((await fetch(`${harness.url}/api/files/private/x`)).status).toBe(401);
    const ok = await fetch(`${harness.url}/api/files/private/x`, { headers: { authorization: `Bearer ${await harness.token()}` } });
    expect(ok.status).toBe(200);
  });
});

/** An upload over a raw socket, so the test sees the answer even though the gateway does not read the whole body. */
async function rawUpload(base: string, tag: string, size: number, chunked: boolean): Promise<{ status: number; body: string; headers: Record<string, string> }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: hostname, port, method: 'POST', path: '/api/files/upload', headers: { 'x-test': tag, 'content-type': 'application/octet-stream', ...(chunked ? {} : { 'content-length': String(size) }) } });
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, body, headers: res.headers as Record<string, string> });
        req.destroy();
      });
    });
    // The gateway closes the connection after its 413 while the upload is still being written: EPIPE/ECONNRESET then is expected.
    req.on('error', (error: NodeJS.ErrnoException) => (error.code === 'EPIPE' || error.code === 'ECONNRESET' ? undefined : reject(error)));
    const chunk = Buffer.alloc(64 * 1024, 1);
    let sent = 0;
    const pump = () => {
      while (sent < size && !req.destroyed) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      if (!req.destroyed) req.end();
    };
    pump();
  });
}

async function rawStatus(base: string, path: string): Promise<number> {
  const { hostname, port } = new URL(base);
  const socket = connect(Number(port), hostname);
  await once(socket, 'connect');
  socket.write(`GET ${path} HTTP/1.1\r\nhost: ${hostname}\r\nconnection: close\r\n\r\n`);
  let text = '';
  for await (const chunk of socket) text += String(chunk);
  return Number(text.split(' ')[1]);
}
