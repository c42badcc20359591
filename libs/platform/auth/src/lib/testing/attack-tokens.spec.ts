import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Controller, Get, type INestApplication, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { ProblemDetailsFilter, UnauthenticatedError } from '@nestkit/errors';
import { AuthModule } from '../nest/auth.module';
import { attackTokens } from './attack-tokens';
import { TestTokens } from './test-tokens.fake';

/** A loopback HTTP endpoint that serves `body` and counts every request it gets. */
async function countingServer(body: () => unknown): Promise<{ url: string; hits: () => number; stop: () => Promise<void> }> {
  let hits = 0;
  const server: Server = createServer((_request, response) => {
    hits += 1;
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body()));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`,
    hits: () => hits,
    stop: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

describe(attackTokens.name, () => {
  let issuer: TestTokens;

  beforeEach(async () => {
    issuer = await TestTokens.create();
  });

  it('covers every attack family the platform promises to refuse', async () => {
    const { attacks } = await attackTokens(issuer.attackKeys({ refreshToken: 'opaque-refresh-token' }));

    expect(attacks.map((attack) => attack.name)).toEqual(
      expect.arrayContaining([
        'alg none',
        'alg None',
        'alg NONE',
        'alg nOnE',
        'empty signature',
        'HS256 keyed with the public key PEM',
        'embedded jwk of the attacker key',
        'jku pointing at the attacker',
        'x5u pointing at the attacker',
        'kid path traversal',
        'unknown kid',
        'expired',
        'not yet valid (nbf in the future)',
        'wrong issuer',
        'wrong audience',
        'refresh-token typ',
        'opaque refresh token as access token',
        'tampered payload',
      ]),
    );
  });

  it('is refused case by case with 401 by the verifier, which accepts the valid token', async () => {
    const { valid, attacks } = await attackTokens(issuer.attackKeys({ refreshToken: 'opaque-refresh-token' }));

    await expect(issuer.verifier.verify(valid)).resolves.toMatchObject({ subject: 'user-1' });
    for (const attack of attacks) {
      const outcome = await issuer.verifier.verify(attack.token).then(
        () => 'accepted',
        (error: unknown) => (error instanceof UnauthenticatedError ? error.code : String(error)),
      );
      expect({ attack: attack.name, outcome }).toEqual({ attack: attack.name, outcome: 'invalid-token' });
    }
  });

  describe('against a service verifying through its JWKS URL', () => {
    let jwks: Awaited<ReturnType<typeof countingServer>>;
    let attacker: Awaited<ReturnType<typeof countingServer>>;
    let app: NestFastifyApplication;

    @Controller()
    class ProbeController {
      @Get('me')
      me(): { ok: true } {
        return { ok: true };
      }
    }

    beforeEach(async () => {
      jwks = await countingServer(() => issuer.jwks);
      attacker = await countingServer(() => ({ keys: [] }));
      @Module({ imports: [AuthModule.forRoot({ ...issuer.verifierOptions, jwksUrl: jwks.url, cooldownMs: 0 })], controllers: [ProbeController] })
      class ProbeModule {}
      app = await NestFactory.create<NestFastifyApplication>(ProbeModule, new FastifyAdapter(), { logger: false });
      app.useGlobalFilters(new ProblemDetailsFilter());
      await app.init();
      await app.getHttpAdapter().getInstance().ready();
    });

    afterEach(async () => {
      await (app as INestApplication).close();
      await Promise.all([jwks.stop(), attacker.stop()]);
      vi.restoreAllMocks();
    });

    it('answers every attack with 401 problem+json and never fetches a URL a token names', async () => {
      const fetched = vi.spyOn(globalThis, 'fetch');
      const { valid, attacks } = await attackTokens(issuer.attackKeys({ attackerUrl: attacker.url, refreshToken: 'opaque-refresh-token' }));
      const get = (token: string) => app.getHttpAdapter().getInstance().inject({ method: 'GET', url: '/me', headers: { authorization: `Bearer ${token}` } });

      expect((await get(valid)).statusCode).toBe(200);
      for (const attack of attacks) {
        const response = await get(attack.token);
        expect({ attack: attack.name, status: response.statusCode, type: String(response.headers['content-type']).split(';')[0] }).toEqual({
          attack: attack.name,
          status: 401,
          type: 'application/problem+json',
        });
      }
      expect(attacker.hits()).toBe(0);
      const urls = fetched.mock.calls.map(([input]) => String(input instanceof Request ? input.url : input));
      expect(urls).toContain(jwks.url);
      expect(urls.filter((url) => url !== jwks.url)).toEqual([]);
      expect(jwks.hits()).toBe(urls.length);
    });
  });
});
