import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AppError, UnavailableError } from '@nestkit/errors';
import { ServiceTokenProvider } from './service-token.provider';

interface SeenRequest {
  authorization?: string;
  contentType?: string;
  form: Record<string, string>;
}

/** identity's token endpoint on loopback: answers what each test sets and records every request. */
class FakeTokenEndpoint {
  readonly seen: SeenRequest[] = [];
  issued = 0;
  reply: (response: ServerResponse) => void = (response) => this.token(response, 300);
  private readonly server: Server = createServer((request: IncomingMessage, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      this.seen.push({ authorization: request.headers.authorization, contentType: request.headers['content-type'], form: Object.fromEntries(new URLSearchParams(body)) });
      this.reply(response);
    });
  });

  token(response: ServerResponse, expiresIn: number): void {
    this.issued += 1;
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ access_token: `token-${this.issued}`, token_type: 'Bearer', expires_in: expiresIn }));
  }

  async start(): Promise<string> {
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/oauth/token`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    this.server.close();
    await once(this.server, 'close');
  }
}

describe(ServiceTokenProvider.name, () => {
  const start = new Date('2030-01-01T00:00:00Z').getTime();
  let now: number;
  let endpoint: FakeTokenEndpoint;
  let tokenUrl: string;

  beforeEach(async () => {
    now = start;
    endpoint = new FakeTokenEndpoint();
    tokenUrl = await endpoint.start();
  });

  afterEach(() => endpoint.stop());

  const provider = (extra: { timeoutMs?: number; renewBeforeSec?: number } = {}) =>
    new ServiceTokenProvider({ tokenUrl, clientId: 'orders', clientSecret: 'orders secret+/=', clock: () => new Date(now), ...extra });

  it('asks with client_secret_basic and a form body, then serves the cached token', async () => {
    const sut = provider();

    expect(await sut.token('catalog')).toBe('token-1');
    expect(await sut.token('catalog')).toBe('token-1');
    expect(endpoint.seen).toEqual([
      {
        authorization: `Basic ${Buffer.from('orders:orders+secret%2B%2F%3D').toString('base64')}`,
        contentType: 'application/x-www-form-urlencoded',
        form: { grant_type: 'client_credentials', audience: 'catalog' },
      },
    ]);
  });

  it('shares one request among concurrent callers and keeps one token per audience', async () => {
    const sut = provider();

    const [a, b, c] = await Promise.all([sut.token('catalog'), sut.token('catalog'), sut.token('notifications')]);

    expect([a, b]).toEqual(['token-1', 'token-1']);
    expect(c).toBe('token-2');
    expect(endpoint.seen).toHaveLength(2);
  });

  it('renews exactly renewBeforeSec before expiry', async () => {
    const sut = provider({ renewBeforeSec: 60 });
    await sut.token();

    now = start + 239_999;
    expect(await sut.token()).toBe('token-1');
    now = start + 240_000;
    expect(await sut.token()).toBe('token-2');
  });

  it('hands out the cached token while it is valid when a renewal fails, and fails once it has expired', async () => {
    const sut = provider({ renewBeforeSec: 60 });
    await sut.token();
    endpoint.reply = (response) => response.writeHead(503).end();

    now = start + 250_000;
    expect(await sut.token()).toBe('token-1');
    now = start + 300_000;
    await expect(sut.token()).rejects.toMatchObject({ code: 'service-token-unavailable', retryable: true });
  });

  it('fails within its timeout with a retryable 503 error when identity hangs', { timeout: 3_000 }, async () => {
    endpoint.reply = () => undefined;
    const started = performance.now();

    const error = await provider({ timeoutMs: 200 }).token().catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(UnavailableError);
    expect(error).toMatchObject({ code: 'service-token-unavailable', message: `requesting a service token from ${tokenUrl} timed out after 200 ms` });
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('reports refused credentials as a non-retryable error naming the settings to check', async () => {
    endpoint.reply = (response) => response.writeHead(401, { 'content-type': 'application/problem+json' }).end(JSON.stringify({ code: 'identity.invalid-client' }));

    const error = await provider().token().catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({
      code: 'service-token-refused',
      retryable: false,
      message: 'identity refused the token request of client "orders" with 401 (identity.invalid-client): check AUTH_CLIENT_ID, AUTH_CLIENT_SECRET and the audience',
    });
  });

  it('exchanges a user token for an on-behalf-of token, cached per user token', async () => {
    const sut = provider();

    const first = await sut.onBehalfOf('user-token-a', 'nestkit-messaging');
    const again = await sut.onBehalfOf('user-token-a', 'nestkit-messaging');
    const other = await sut.onBehalfOf('user-token-b', 'nestkit-messaging');

    expect([first, again, other]).toEqual(['token-1', 'token-1', 'token-2']);
    expect(endpoint.seen[0]?.form).toEqual({
      grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
      subject_token: 'user-token-a',
      subject_token_type: 'urn:ietf:params:oauth:token-type:access_token',
      audience: 'nestkit-messaging',
    });
  });

  it('builds the x-service-authorization value', async () => {
    expect(await provider().authorizationHeader('catalog')).toBe('Bearer token-1');
  });
});
