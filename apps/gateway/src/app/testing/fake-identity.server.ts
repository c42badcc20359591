import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TestTokens } from '@nestkit/auth/testing';

/** What a fake upstream saw of one request. */
export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
}

/** Listens on a free loopback port and returns `host:port`. */
export async function listenOnLoopback(server: Server): Promise<string> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/**
 * A loopback identity for gateway specs: publishes a {@link TestTokens} issuer's JWKS and issues service
 * tokens at `/oauth/token` to the one client it knows, recording every request.
 */
export class FakeIdentityServer {
  readonly seen: SeenRequest[] = [];
  address = '';
  private readonly server: Server;

  private constructor(
    readonly tokens: TestTokens,
    private readonly client: { id: string; secret: string },
  ) {
    this.server = createServer((request, response) => {
      // The gateway's API docs fetch every routed service's document now and then: not a proxied request.
      if (request.url === '/openapi.json') return void response.writeHead(404).end();
      this.seen.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers });
      void this.answer(request).then(({ status, body }) => response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body)));
    });
  }

  static async start(client: { id: string; secret: string }): Promise<FakeIdentityServer> {
    const sut = new FakeIdentityServer(await TestTokens.create(), client);
    sut.address = await listenOnLoopback(sut.server);
    return sut;
  }

  close(): void {
    this.server.closeAllConnections();
    this.server.close();
  }

  private async answer(request: IncomingMessage): Promise<{ status: number; body: unknown }> {
    if (request.url === '/.well-known/jwks.json') return { status: 200, body: this.tokens.jwks };
    if (request.url !== '/oauth/token') return { status: 200, body: { served: 'identity', path: request.url } };
    const basic = `Basic ${Buffer.from(`${this.client.id}:${this.client.secret}`).toString('base64')}`;
    if (request.headers.authorization !== basic) return { status: 401, body: { code: 'identity.invalid-client' } };
    let form = '';
    for await (const chunk of request) form += String(chunk);
    const audience = new URLSearchParams(form).get('audience') ?? 'all';
    return { status: 200, body: { access_token: await this.tokens.signService({ clientId: this.client.id, audience }), token_type: 'Bearer', expires_in: 300 } };
  }
}
