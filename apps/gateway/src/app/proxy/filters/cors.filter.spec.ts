import type { IncomingMessage } from 'node:http';
import { EdgeError } from '../edge-error';
import type { ProxyExchange, ProxyResponse } from '../exchange';
import { CorsFilter } from './cors.filter';

const ALLOWED = 'https://shop.example.com';

function exchange(method: string, headers: Record<string, string>): ProxyExchange {
  return {
    req: { headers } as unknown as IncomingMessage,
    method,
    match: { route: { methods: ['GET', 'HEAD', 'POST'] } },
    responseHeaders: {},
  } as unknown as ProxyExchange;
}

const upstream = async (): Promise<ProxyResponse> => ({ status: 200, headers: {}, body: null });

describe(CorsFilter.name, () => {
  const sut = new CorsFilter({ origins: [ALLOWED], credentials: true, allowedHeaders: ['authorization', 'content-type'], exposedHeaders: ['x-request-id'], maxAgeSeconds: 600 });

  it('echoes an allowed origin exactly, with credentials, exposed headers and Vary: Origin', async () => {
    const sent = exchange('GET', { origin: ALLOWED });
    await sut.handle(sent, upstream);
    expect(sent.responseHeaders).toEqual({
      vary: 'Origin',
      'access-control-allow-origin': ALLOWED,
      'access-control-allow-credentials': 'true',
      'access-control-expose-headers': 'x-request-id',
    });
  });

  it.each([
    'null',
    'https://evil.example',
    'https://shop.example.com.evil.example',
    'https://evilshop.example.com',
    'https://shop.example.co',
    'http://shop.example.com',
    'https://shop.example.com:8443',
    'https://shop.example.com/',
    'https://shop.example.com@evil.example',
    ' https://shop.example.com',
    '*',
  ])('gives a hostile origin %j no CORS header at all (only Vary: Origin)', async (origin) => {
    const sent = exchange('GET', { origin });
    await sut.handle(sent, upstream);
    expect(sent.responseHeaders).toEqual({ vary: 'Origin' });
  });

  it('answers an allowed preflight with 204, the route methods, the allowed headers and a max age, without calling upstream', async () => {
    const sent = exchange('OPTIONS', { origin: ALLOWED, 'access-control-request-method': 'POST', 'access-control-request-headers': 'Authorization, Content-Type' });
    let called = false;
    const answer = await sut.handle(sent, async () => ((called = true), upstream()));
    expect(called).toBe(false);
    expect(answer.status).toBe(204);
    expect(sent.responseHeaders).toMatchObject({
      'access-control-allow-origin': ALLOWED,
      'access-control-allow-methods': 'GET, HEAD, POST',
      'access-control-allow-headers': 'authorization, content-type',
      'access-control-max-age': '600',
    });
    expect(sent.responseHeaders['vary']).toContain('Origin');
  });

  it('refuses a preflight from an origin not on the list, or asking for a header not on it, with 403', async () => {
    await expect(sut.handle(exchange('OPTIONS', { origin: 'https://evil.example', 'access-control-request-method': 'GET' }), upstream)).rejects.toMatchObject({ status: 403, code: 'cors-origin-not-allowed' });
    const asking = exchange('OPTIONS', { origin: ALLOWED, 'access-control-request-method': 'GET', 'access-control-request-headers': 'x-service-authorization' });
    await expect(sut.handle(asking, upstream)).rejects.toBeInstanceOf(EdgeError);
  });

  it('does nothing with an empty allow-list (CORS off)', async () => {
    const sent = exchange('GET', { origin: ALLOWED });
    await new CorsFilter({ origins: [], credentials: false, allowedHeaders: [], exposedHeaders: [], maxAgeSeconds: 0 }).handle(sent, upstream);
    expect(sent.responseHeaders).toEqual({});
  });
});
