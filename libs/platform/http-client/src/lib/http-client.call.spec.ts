import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { PassThrough, type Readable } from 'node:stream';
import { InMemoryRegistry, type ServiceInstance } from '@nestkit/discovery';
import { anInstance } from '@nestkit/discovery/testing';
import { TimeoutError } from '@nestkit/errors';
import { type Balancer, ConsistentHashBalancer, NoInstancesError, RoundRobinBalancer } from '@nestkit/load-balancing';
import { CircuitBreakerRegistry, Deadline, DeadlineStore, type UpstreamPolicyOptions } from '@nestkit/resilience';
import { HttpClient } from './http-client';
import type { UpstreamCall } from './upstream-call';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

async function text(body: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString();
}

describe(`${HttpClient.name}.call`, () => {
  let server: Server;
  let port: number;
  let handler: Handler;
  let registry: InMemoryRegistry;
  let sockets: Set<Socket>;
  let hits: string[];
  const clients: HttpClient[] = [];

  const client = (extra: { policy?: UpstreamPolicyOptions; instanceBreakers?: CircuitBreakerRegistry; timeoutMs?: number } = {}) => {
    const sut = new HttpClient({ service: 'catalog', instancer: registry, balancer: new RoundRobinBalancer(), timeoutMs: 1_000, ...extra });
    clients.push(sut);
    return sut;
  };
  const get = (extra: Partial<UpstreamCall> = {}): UpstreamCall => ({ method: 'GET', path: '/p', headers: {}, ...extra });

  beforeEach(async () => {
    handler = (_req, res) => res.end('ok');
    sockets = new Set();
    hits = [];
    server = createServer((req, res) => {
      hits.push(String(req.headers['x-instance'] ?? req.url));
      handler(req, res);
    });
    server.on('connection', (socket: Socket) => {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    port = (server.address() as AddressInfo).port;
    registry = new InMemoryRegistry();
    await registry.register(anInstance({ id: 'catalog-1', port }));
  });

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    server.closeAllConnections();
    server.close();
  });

  it('streams the request body to the upstream before it ends, and the answer before the upstream finishes', async () => {
    const firstChunk = Promise.withResolvers<void>();
    const finishAnswer = Promise.withResolvers<void>();
    handler = (req, res) => {
      let received = 0;
      req.on('data', (chunk: Buffer) => {
        received += chunk.length;
        firstChunk.resolve();
      });
      req.on('end', () => {
        res.writeHead(200, { 'set-cookie': 'a=1', connection: 'keep-alive' });
        res.write(`got ${received};`);
        void finishAnswer.promise.then(() => res.end('done'));
      });
    };
    const body = new PassThrough();
    const answering = client().call({ method: 'POST', path: '/upload', headers: { 'content-type': 'application/octet-stream' }, body });
    body.write(Buffer.alloc(64 * 1024, 1));
    // The upstream sees bytes while the caller still holds the rest of the body.
    await firstChunk.promise;
    body.end(Buffer.alloc(1024 * 1024, 2));
    const answer = await answering;
    expect(answer.status).toBe(200);
    expect(answer.headers['set-cookie']).toEqual(['a=1']);
    expect(answer.headers).not.toHaveProperty('connection');
    expect(answer.instance.id).toBe('catalog-1');
    // The first part of the answer arrives while the upstream has not finished it.
    const [first] = (await once(answer.body, 'data')) as [Buffer];
    expect(first.toString()).toBe(`got ${64 * 1024 + 1024 * 1024};`);
    finishAnswer.resolve();
    expect(await text(answer.body)).toBe('done');
  });

  it('aborts the upstream request when the caller goes away before the answer', async () => {
    const arrived = Promise.withResolvers<Socket>();
    handler = (req) => arrived.resolve(req.socket);
    const caller = new AbortController();
    const pending = client().call(get({ signal: caller.signal })).catch((e: unknown) => e);
    const socket = await arrived.promise;
    caller.abort(new Error('client went away'));
    expect(await pending).toEqual(new Error('client went away'));
    await vi.waitFor(() => expect(socket.destroyed || !sockets.has(socket)).toBe(true));
  });

  it('aborts the upstream response when the caller goes away while its body streams', async () => {
    handler = (_req, res) => res.writeHead(200).write('part');
    const caller = new AbortController();
    const answer = await client().call(get({ signal: caller.signal }));
    await once(answer.body, 'data');
    const socket = [...sockets][0];
    caller.abort(new Error('client went away'));
    await vi.waitFor(() => expect(sockets.has(socket)).toBe(false));
    expect(answer.body.destroyed).toBe(true);
  });

  it('retries a 503 on another instance with a replayable body, never with a streamed one', async () => {
    await registry.register(anInstance({ id: 'catalog-2', port }));
    let calls = 0;
    handler = (req, res) => {
      calls += 1;
      req.resume();
      res.statusCode = calls % 2 === 1 ? 503 : 200;
      res.end(String(res.statusCode));
    };
    const sut = client({ policy: { timeoutMs: 1_000, retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1, jitter: 'none' } } });
    const replayed = await sut.call({ method: 'PUT', path: '/p', headers: {}, body: Buffer.from('same') });
    expect([replayed.status, await text(replayed.body), calls]).toEqual([200, '200', 2]);

    const streamed = new PassThrough();
    streamed.end('once');
    const once503 = await sut.call({ method: 'PUT', path: '/p', headers: {}, body: streamed });
    expect([once503.status, await text(once503.body), calls]).toEqual([503, '503', 3]);
    const optedOut = await sut.call({ method: 'PUT', path: '/p', headers: {}, body: 'x', retry: false });
    expect([optedOut.status, calls]).toEqual([200, 4]);
    await text(optedOut.body);
  });

  it('counts a 503 answer against the upstream breaker, which opens at its threshold', async () => {
    handler = (_req, res) => {
      res.statusCode = 503;
      res.end();
    };
    const sut = client({ policy: { timeoutMs: 1_000, breaker: { mode: 'consecutive', threshold: 2, halfOpenAfterMs: 60_000 } } });
    for (let i = 0; i < 2; i += 1) expect((await sut.call(get())).status).toBe(503);
    expect(sut.breaker?.state).toBe('open');
    await expect(sut.call(get())).rejects.toMatchObject({ code: 'circuit-open' });
    expect(hits).toHaveLength(2);
  });

  it("counts a 500 answer against the instance's breaker, not the upstream's", async () => {
    handler = (_req, res) => {
      res.statusCode = 500;
      res.end();
    };
    const instanceBreakers = new CircuitBreakerRegistry({ mode: 'consecutive', threshold: 2, halfOpenAfterMs: 60_000 });
    const sut = client({ instanceBreakers, policy: { timeoutMs: 1_000, breaker: { mode: 'consecutive', threshold: 2, halfOpenAfterMs: 60_000 } } });
    for (let i = 0; i < 2; i += 1) await text((await sut.call(get())).body);
    expect(instanceBreakers.state('catalog-1')).toBe('open');
    expect(sut.breaker?.state).toBe('closed');
  });

  it('narrows the candidates with the call’s filter, balancer and key', async () => {
    await registry.register(anInstance({ id: 'catalog-2', port, version: '2.0.0' }));
    await registry.register(anInstance({ id: 'catalog-3', port, version: '2.0.0' }));
    const sut = client();
    const v2 = (instance: ServiceInstance) => instance.version === '2.0.0';
    const served = async (call: UpstreamCall) => {
      const answer = await sut.call(call);
      await text(answer.body);
      return answer.instance.id;
    };
    expect(new Set([await served(get({ filter: v2 })), await served(get({ filter: v2 })), await served(get({ filter: v2 }))])).toEqual(new Set(['catalog-2', 'catalog-3']));
    await expect(sut.call(get({ filter: (instance) => instance.version === '9' }))).rejects.toBeInstanceOf(NoInstancesError);
    const last: Balancer<ServiceInstance> = { pick: (candidates) => candidates.at(-1) };
    expect(await served(get({ balancer: last }))).toBe('catalog-3');
    const sticky = new ConsistentHashBalancer<ServiceInstance>();
    const owner = await served(get({ balancer: sticky, key: 'user-7' }));
    for (let i = 0; i < 3; i += 1) expect(await served(get({ balancer: sticky, key: 'user-7' }))).toBe(owner);
  });

  it("passes the current request's remaining deadline on from DeadlineStore, and never sends an expired one", async () => {
    const forwarded: number[] = [];
    handler = (req, res) => {
      forwarded.push(Number(req.headers['x-request-deadline']));
      res.end();
    };
    const sut = client();
    await text((await DeadlineStore.run(Deadline.after(300), () => sut.call(get()))).body);
    expect(forwarded[0]).toBeGreaterThan(0);
    expect(forwarded[0]).toBeLessThanOrEqual(300);
    const expired = DeadlineStore.run(Deadline.at(Date.now() - 1), () => sut.call(get()));
    await expect(expired).rejects.toBeInstanceOf(TimeoutError);
    await expect(expired).rejects.toMatchObject({ code: 'upstream-timeout' });
    expect(forwarded).toHaveLength(1);
  });

  it("bounds the wait for the answer by the call's own timeoutMs", async () => {
    handler = () => undefined;
    const started = performance.now();
    const error = await client({ timeoutMs: 5_000 }).call(get({ timeoutMs: 100 })).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'upstream-timeout', message: 'Upstream "catalog" instance "catalog-1" did not answer within 100 ms' });
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('closes the connection pool of an instance that leaves discovery', async () => {
    const sut = client();
    await text((await sut.call(get())).body);
    expect(sut.pooledInstances()).toEqual(['catalog-1']);
    expect(sockets.size).toBe(1);
    await registry.deregister('catalog-1');
    expect(sut.pooledInstances()).toEqual([]);
    await vi.waitFor(() => expect(sockets.size).toBe(0));
  });
});
