import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type CryptoKey, calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';

const ISSUER = 'nestkit-test-identity';
const AUDIENCE = 'nestkit';

/**
 * A stand-in for identity in e2e runs that start a gateway and services on their own, without the real
 * identity: it publishes a fresh EdDSA key at `/.well-known/jwks.json`, issues a service token for the
 * requested audience at `/oauth/token` to any client, and mints user and admin access tokens for the
 * test. The gateway and services verify everything exactly as in production; only the issuer is fake.
 */
export class TestIdentity {
  private readonly server: Server;

  private constructor(
    private readonly privateKey: CryptoKey,
    private readonly publicJwk: JWK & { kid: string },
  ) {
    this.server = createServer((request, response) => {
      void this.answer(request).then(({ status, body }) => response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body)));
    });
  }

  static async start(): Promise<TestIdentity> {
    const { privateKey, publicKey } = await generateKeyPair('EdDSA');
    const jwk = await exportJWK(publicKey);
    const sut = new TestIdentity(privateKey, { ...jwk, kid: await calculateJwkThumbprint(jwk), alg: 'EdDSA', use: 'sig' });
    sut.server.listen(0, '127.0.0.1');
    await once(sut.server, 'listening');
    return sut;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** What a service that gets its own service tokens (the gateway, catalog, orders) needs: verify here, get tokens from here. */
  clientEnv(): Record<string, string> {
    return { ...this.serviceEnv(), AUTH_TOKEN_URL: `${this.url}/oauth/token`, AUTH_CLIENT_SECRET: 'test-identity-accepts-any-secret' };
  }

  /** What a service needs to verify user and service tokens issued here. */
  serviceEnv(): Record<string, string> {
    return { AUTH_JWKS_URL: `${this.url}/.well-known/jwks.json`, AUTH_ISSUER: ISSUER, AUTH_AUDIENCE: AUDIENCE };
  }

  /** A user access token (`at+jwt`) for a fresh subject with `roles`. */
  userToken(roles: string[] = ['user']): Promise<string> {
    return this.sign('at+jwt', { sub: `user-${randomUUID()}`, aud: AUDIENCE, roles });
  }

  /** An access token of an admin. */
  adminToken(): Promise<string> {
    return this.userToken(['user', 'admin']);
  }

  close(): void {
    this.server.closeAllConnections();
    this.server.close();
  }

  private sign(typ: string, claims: Record<string, unknown>): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ ...claims, iss: ISSUER, jti: randomUUID(), iat: now, exp: now + 600 }).setProtectedHeader({ alg: 'EdDSA', kid: this.publicJwk.kid, typ }).sign(this.privateKey);
  }

  private async answer(request: IncomingMessage): Promise<{ status: number; body: unknown }> {
    if (request.url === '/.well-known/jwks.json') return { status: 200, body: { keys: [this.publicJwk] } };
    if (request.url !== '/oauth/token' || request.method !== 'POST') return { status: 404, body: { code: 'not-found' } };
    let form = '';
    for await (const chunk of request) form += String(chunk);
    const audience = new URLSearchParams(form).get('audience') ?? AUDIENCE;
    const client = Buffer.from((request.headers.authorization ?? '').replace(/^Basic /, ''), 'base64').toString().split(':')[0] || 'unknown';
    const token = await this.sign('service+jwt', { sub: client, client_id: client, kind: 'service', aud: audience, roles: [] });
    return { status: 200, body: { access_token: token, token_type: 'Bearer', expires_in: 600 } };
  }
}
