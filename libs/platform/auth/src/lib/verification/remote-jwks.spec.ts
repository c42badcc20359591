import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AppError, UnauthenticatedError, UnavailableError } from '@nestkit/errors';
import type { JSONWebKeySet } from 'jose';
import { TestTokens } from '../../testing';
import { JwtTokenVerifier } from './jwt.token-verifier';

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

/** A real JWKS endpoint on loopback whose behaviour each test swaps, counting the fetches it serves. */
class FakeJwksServer {
  fetches = 0;
  handler: Handler = () => undefined;
  private readonly server: Server = createServer((request, response) => {
    this.fetches += 1;
    this.handler(request, response);
  });

  async start(): Promise<string> {
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/.well-known/jwks.json`;
  }

  serve(jwks: JSONWebKeySet): void {
    this.handler = (_request, response) => response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(jwks));
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    this.server.close();
    await once(this.server, 'close');
  }
}

async function rejectionOf(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${String(error)}`);
  return error;
}

describe(`${JwtTokenVerifier.name}.fromJwksUrl`, () => {
  let server: FakeJwksServer;
  let jwksUrl: string;
  let issuer: TestTokens;

  beforeEach(async () => {
    server = new FakeJwksServer();
    jwksUrl = await server.start();
    issuer = await TestTokens.create();
  });

  afterEach(() => server.stop());

  function verifier(extra: { timeoutMs?: number; cooldownMs?: number } = {}): JwtTokenVerifier {
    return JwtTokenVerifier.fromJwksUrl({ ...issuer.verifierOptions, jwksUrl, ...extra });
  }

  it('verifies through the fetched key set and serves later tokens from the cache', async () => {
    server.serve(issuer.jwks);
    const sut = verifier();

    await expect(sut.verify(await issuer.sign({ subject: 'u-1' }))).resolves.toMatchObject({ subject: 'u-1' });
    await expect(sut.verify(await issuer.sign({ subject: 'u-2' }))).resolves.toMatchObject({ subject: 'u-2' });
    expect(server.fetches).toBe(1);
  });

  it('refetches on an unknown kid and accepts a rotated-in key', async () => {
    const rotated = await TestTokens.create();
    server.serve(issuer.jwks);
    const sut = verifier({ cooldownMs: 0 });
    await sut.verify(await issuer.sign());

    server.serve({ keys: [...issuer.jwks.keys, ...rotated.jwks.keys] });

    await expect(sut.verify(await rotated.sign({ subject: 'u-9' }))).resolves.toMatchObject({ subject: 'u-9' });
    expect(server.fetches).toBe(2);
  });

  it('refetches for unknown kids at most once per cooldown', async () => {
    server.serve(issuer.jwks);
    const sut = verifier({ cooldownMs: 60_000 });
    await sut.verify(await issuer.sign());

    for (const kid of ['unknown-1', 'unknown-2', 'unknown-3']) {
      await expect(sut.verify(await issuer.sign({ header: { kid } }))).rejects.toMatchObject({ message: 'no matching signing key' });
    }

    expect(server.fetches).toBe(1);
  });

  it('rejects a kid still unknown after the refetch as an invalid token', async () => {
    server.serve(issuer.jwks);
    const sut = verifier({ cooldownMs: 0 });

    const error = await rejectionOf(sut.verify(await issuer.sign({ header: { kid: 'unknown' } })));

    expect(error).toBeInstanceOf(UnauthenticatedError);
    expect(error.message).toBe('no matching signing key');
  });

  it('never fetches for a token that names its own key URL', async () => {
    server.serve(issuer.jwks);

    const error = await rejectionOf(verifier().verify(await issuer.sign({ header: { jku: jwksUrl } })));

    expect(error.message).toBe('header not allowed: jku');
    expect(server.fetches).toBe(0);
  });

  it('fetches through the configured fetch (e.g. one that goes through discovery) instead of resolving the host', async () => {
    const asked: { url: string; method: string; timed: boolean }[] = [];
    const sut = JwtTokenVerifier.fromJwksUrl({
      ...issuer.verifierOptions,
      jwksUrl: 'http://identity/.well-known/jwks.json',
      fetch: async (url, init) => {
        asked.push({ url, method: init.method, timed: init.signal instanceof AbortSignal });
        return new Response(JSON.stringify(issuer.jwks), { status: 200, headers: { 'content-type': 'application/json' } });
      },
    });

    await expect(sut.verify(await issuer.sign({ subject: 'u-3' }))).resolves.toMatchObject({ subject: 'u-3' });
    expect(asked).toEqual([{ url: 'http://identity/.well-known/jwks.json', method: 'GET', timed: true }]);
    expect(server.fetches).toBe(0);
  });

  it('fails with auth-unavailable when the endpoint hangs past the timeout', { timeout: 2_000 }, async () => {
    server.handler = () => undefined;

    const error = await rejectionOf(verifier({ timeoutMs: 100 }).verify(await issuer.sign()));

    expect(error).toBeInstanceOf(UnavailableError);
    expect(error.code).toBe('auth-unavailable');
    expect(error.message).toBe('fetching the signing keys timed out');
  });

  it('fails with auth-unavailable when the endpoint answers 500', async () => {
    server.handler = (_request, response) => response.writeHead(500).end();

    const error = await rejectionOf(verifier().verify(await issuer.sign()));

    expect(error).toBeInstanceOf(UnavailableError);
    expect(error.code).toBe('auth-unavailable');
    expect(error.retryable).toBe(true);
  });

  it('fails with auth-unavailable when nothing listens', async () => {
    await server.stop();
    server = new FakeJwksServer();
    await server.start();

    const error = await rejectionOf(verifier().verify(await issuer.sign()));

    expect(error).toBeInstanceOf(UnavailableError);
    expect(error.message).toBe('fetching the signing keys failed');
  });
});
