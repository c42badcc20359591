import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { InMemoryRegistry } from '@nestkit/discovery';
import { anInstance } from '@nestkit/discovery/testing';
import { TimeoutError, UnavailableError } from '@nestkit/errors';
import { NoInstancesError, OutlierDetector, PendingTracker, RoundRobinBalancer } from '@nestkit/load-balancing';
import { Deadline } from '@nestkit/resilience';
import { metricValue, platformMetrics } from '@nestkit/metrics';
import { tracer } from '@nestkit/tracing';
import { parentOf, recordSpans, spansNamed } from '@nestkit/tracing/testing';
import { context, trace } from '@opentelemetry/api';
import { HttpClient } from './http-client';

const spans = recordSpans();

type Handler = (req: IncomingMessage, res: ServerResponse, body: Buffer) => void;

describe(HttpClient.name, () => {
  let server: Server;
  let port: number;
  let handler: Handler;
  let registry: InMemoryRegistry;
  let sut: HttpClient;

  const client = (timeoutMs = 1_000, headers?: Record<string, string>) =>
    new HttpClient({ service: 'catalog', instancer: registry, balancer: new RoundRobinBalancer(), timeoutMs, headers });
  // Sockets holding a request the server never answered. After an abort undici may open a fresh idle
  // keep-alive socket to the same origin (closed after its 4 s idle timeout); that one carries no request,
  // so the raw connection count is not what a leak looks like.
  let unanswered: Set<Socket>;
  let received: number;

  beforeEach(async () => {
    handler = (_req, res) => res.end('ok');
    unanswered = new Set();
    received = 0;
    server = createServer((req, res) => {
      received += 1;
      const socket = req.socket;
      unanswered.add(socket);
      socket.once('close', () => unanswered.delete(socket));
      res.once('finish', () => unanswered.delete(socket));
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c)).on('end', () => handler(req, res, Buffer.concat(chunks)));
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    port = (server.address() as AddressInfo).port;
    registry = new InMemoryRegistry();
    await registry.register(anInstance({ id: 'catalog-1', port }));
    sut = client();
  });

  afterEach(async () => {
    server.closeAllConnections();
    server.close();
    await once(server, 'close');
  });

  it('returns status, relayable headers and body of the upstream response', async () => {
    handler = (req, res, body) => {
      res.writeHead(201, { 'content-type': 'application/json', 'x-seen': `${req.method} ${req.url}`, 'set-cookie': ['a=1', 'b=2'] });
      res.end(JSON.stringify({ echoed: body.toString(), auth: req.headers['authorization'], tenant: req.headers['x-tenant'] }));
    };
    const response = await client(1_000, { 'x-tenant': 'acme' }).request({
      method: 'post',
      path: '/products?limit=1',
      headers: { authorization: 'Bearer t', connection: 'keep-alive', 'transfer-encoding': 'chunked', host: 'gateway' },
      body: Buffer.from('hello'),
    });
    expect(response.status).toBe(201);
    expect(response.instanceId).toBe('catalog-1');
    expect(response.headers).toMatchObject({ 'content-type': 'application/json', 'x-seen': 'POST /products?limit=1' });
    expect(response.headers).not.toHaveProperty('connection');
    expect(response.setCookies).toEqual(['a=1', 'b=2']);
    expect(response.json()).toEqual({ echoed: 'hello', auth: 'Bearer t', tenant: 'acme' });
  });

  it('returns HTTP error statuses instead of throwing', async () => {
    handler = (_req, res) => {
      res.statusCode = 503;
      res.end('down');
    };
    const response = await sut.request({ path: '/' });
    expect([response.status, response.body.toString()]).toEqual([503, 'down']);
  });

  it('never follows redirects', async () => {
    handler = (_req, res) => {
      res.writeHead(302, { location: '/elsewhere' });
      res.end();
    };
    const response = await sut.request({ path: '/' });
    expect([response.status, response.headers['location']]).toEqual([302, '/elsewhere']);
  });

  it('spreads calls over the instances with the balancer', async () => {
    await registry.register(anInstance({ id: 'catalog-2', port }));
    const served = [];
    for (let i = 0; i < 4; i += 1) served.push((await sut.request({ path: '/' })).instanceId);
    expect(served).toEqual(['catalog-1', 'catalog-2', 'catalog-1', 'catalog-2']);
  });

  it('forwards the remaining budget, bounded by the caller deadline', async () => {
    const forwarded: number[] = [];
    handler = (req, res) => {
      forwarded.push(Number(req.headers['x-request-deadline']));
      res.end();
    };
    await sut.request({ path: '/', headers: { 'x-request-deadline': '999999' } });
    await sut.request({ path: '/', deadline: Deadline.after(300) });
    expect(forwarded[0]).toBeGreaterThan(0);
    expect(forwarded[0]).toBeLessThanOrEqual(1_000);
    expect(forwarded[1]).toBeGreaterThan(0);
    expect(forwarded[1]).toBeLessThanOrEqual(300);
  });

  it("sends the caller's trace on: the call's span is the caller's child, each attempt the call's, and the attempt goes upstream", async () => {
    let sent: string | undefined;
    handler = (req, res) => {
      sent = req.headers['traceparent'] as string | undefined;
      res.end('ok');
    };
    spans.reset();
    const caller = tracer().startSpan('caller');
    await context.with(trace.setSpan(context.active(), caller), () => sut.request({ path: '/traced?id=1' }));
    caller.end();
    const [call] = spansNamed(spans.getFinishedSpans(), 'call catalog');
    const [attempt] = spansNamed(spans.getFinishedSpans(), 'GET');
    expect(call?.spanContext().traceId).toBe(caller.spanContext().traceId);
    expect(parentOf(call!)).toBe(caller.spanContext().spanId);
    expect(parentOf(attempt!)).toBe(call?.spanContext().spanId);
    expect(sent).toBe(`00-${caller.spanContext().traceId}-${attempt?.spanContext().spanId}-01`);
    expect(attempt?.attributes).toMatchObject({ 'http.request.method': 'GET', 'url.path': '/traced', 'http.response.status_code': 200, 'nestkit.upstream': 'catalog', 'http.request.resend_count': 0 });
    expect(call?.attributes).toMatchObject({ 'http.response.status_code': 200, 'nestkit.attempts': 1 });
  });

  it('starts a trace for a call made outside any, and marks a 5xx attempt failed; durations are recorded per upstream and instance', async () => {
    let sent: string | undefined;
    handler = (req, res) => {
      sent = req.headers['traceparent'] as string | undefined;
      res.statusCode = 500;
      res.end('no');
    };
    spans.reset();
    const labels = { upstream: 'catalog', instance: 'catalog-1', method: 'GET', status_code: '500', error_type: '' };
    const before = await metricValue(platformMetrics.registry, 'http_client_request_duration_seconds', labels, 'count');
    expect((await sut.request({ path: '/untraced' })).status).toBe(500);
    const [attempt] = spansNamed(spans.getFinishedSpans(), 'GET');
    expect(sent).toMatch(new RegExp(`^00-[0-9a-f]{32}-${attempt?.spanContext().spanId}-01$`));
    expect(attempt?.status.code).toBe(2);
    expect(attempt?.attributes['error.type']).toBe('500');
    expect(await metricValue(platformMetrics.registry, 'http_client_request_duration_seconds', labels, 'count')).toBe(before + 1);
  });

  it('fails a hung call with TimeoutError within its budget and releases the socket', async () => {
    handler = () => undefined;
    const started = performance.now();
    const error = await client(200).request({ path: '/hang' }).catch((e: unknown) => e);
    const elapsed = performance.now() - started;
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ code: 'upstream-timeout' });
    expect((error as Error).message).toBe('Upstream "catalog" instance "catalog-1" did not answer within 200 ms');
    expect(elapsed).toBeGreaterThanOrEqual(190);
    expect(elapsed).toBeLessThan(350);
    expect(received).toBe(1);
    await vi.waitFor(() => expect(unanswered.size).toBe(0));
  });

  it('does not leak sockets when many hung calls are abandoned', async () => {
    handler = () => undefined;
    const calls = Array.from({ length: 5 }, () => client(100).request({ path: '/hang' }).catch((e: unknown) => e));
    const errors = await Promise.all(calls);
    expect(errors.every((e) => e instanceof TimeoutError)).toBe(true);
    expect(received).toBe(5);
    await vi.waitFor(() => expect(unanswered.size).toBe(0));
  });

  it('rejects with the caller’s reason when the caller cancels', async () => {
    handler = () => undefined;
    const caller = new AbortController();
    const pending = sut.request({ path: '/hang', signal: caller.signal }).catch((e: unknown) => e);
    setTimeout(() => caller.abort(new Error('client went away')), 20);
    const error = await pending;
    expect(error).toEqual(new Error('client went away'));
    await vi.waitFor(() => expect(unanswered.size).toBe(0));
  });

  it('fails fast, without calling, when the caller deadline has already passed', async () => {
    let called = false;
    handler = (_req, res) => {
      called = true;
      res.end();
    };
    await expect(sut.request({ path: '/', deadline: Deadline.at(Date.now() - 1) })).rejects.toMatchObject({ code: 'upstream-timeout' });
    expect(called).toBe(false);
  });

  it('maps a refused connection to UnavailableError naming service and instance', async () => {
    const closed = createServer();
    closed.listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const closedPort = (closed.address() as AddressInfo).port;
    closed.close();
    await once(closed, 'close');
    await registry.deregister('catalog-1');
    await registry.register(anInstance({ id: 'catalog-9', port: closedPort }));

    const error = await sut.request({ path: '/' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnavailableError);
    expect(error).toMatchObject({ code: 'upstream-unavailable', retryable: true });
    expect((error as Error).message).toBe(`Upstream "catalog" instance "catalog-9" at http://127.0.0.1:${closedPort} could not be reached (ECONNREFUSED)`);
  });

  it('raises NoInstancesError when no instance is up', async () => {
    await registry.setStatus('catalog-1', 'draining');
    const error = await sut.request({ path: '/' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NoInstancesError);
    expect(error).toMatchObject({ kind: 'unavailable', code: 'no-instances', service: 'catalog' });
  });

  it('rejects programming errors before any call', async () => {
    await expect(sut.request({ path: 'products' })).rejects.toThrow(TypeError);
    await expect(sut.request({ method: 'GET', path: '/', body: 'x' })).rejects.toThrow('GET requests cannot have a body');
  });

  describe('passive health', () => {
    it('ejects an instance after consecutive 5xx and sends the traffic to the others; 4xx never counts', async () => {
      await registry.register(anInstance({ id: 'catalog-2', port: 1 })); // nothing listens on port 1
      const outliers = new OutlierDetector({ consecutiveFailures: 3 });
      const pending = new PendingTracker();
      const withHealth = new HttpClient({ service: 'catalog', instancer: registry, balancer: new RoundRobinBalancer(), timeoutMs: 1_000, outliers, pending });
      handler = (_req, res) => {
        res.statusCode = 404;
        res.end();
      };

      const seen: string[] = [];
      for (let i = 0; i < 6; i += 1) {
        seen.push(await withHealth.request({ path: '/products' }).then((r) => `${r.instanceId}:${r.status}`, (e: Error) => e.name));
      }
      // catalog-2 refuses three times in a row and is ejected; the 404s of catalog-1 are answers, not failures.
      expect(seen).toEqual(['catalog-1:404', 'UnavailableError', 'catalog-1:404', 'UnavailableError', 'catalog-1:404', 'UnavailableError']);
      expect(outliers.ejected().map((e) => e.id)).toEqual(['catalog-2']);
      for (let i = 0; i < 4; i += 1) expect((await withHealth.request({ path: '/products' })).instanceId).toBe('catalog-1');
      expect(pending.pending('catalog-1')).toBe(0);
      expect(pending.pending('catalog-2')).toBe(0);
    });
  });
});
