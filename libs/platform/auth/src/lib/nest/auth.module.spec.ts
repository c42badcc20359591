import { Controller, Get, type INestApplication, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { ProblemDetailsFilter, UnavailableError } from '@nestkit/errors';
import { TestTokens } from '../../testing';
import type { Principal } from '../principal';
import type { TokenVerifier } from '../token-verifier';
import { JwtTokenVerifier } from '../verification/jwt.token-verifier';
import { Anonymous, CurrentPrincipal, Permissions, Public, Roles, ServiceOnly } from './auth.decorators';
import { AuthModule } from './auth.module';
import { MESSAGE_IDENTITY_VERIFIER, TOKEN_VERIFIER } from './auth.tokens';

@Controller()
class ProbeController {
  @Get('me')
  me(@CurrentPrincipal() principal: Principal): Principal {
    return principal;
  }

  @Public()
  @Get('open')
  open(): { ok: true } {
    return { ok: true };
  }

  @Anonymous()
  @Get('probe')
  probe(): { ok: true } {
    return { ok: true };
  }

  @ServiceOnly()
  @Permissions('orders:internal:read')
  @Get('internal')
  internal(@CurrentPrincipal() principal: Principal): Principal {
    return principal;
  }

  @Roles('admin')
  @Get('admin')
  admin(): { ok: true } {
    return { ok: true };
  }
}

const down: TokenVerifier = {
  verify: () => Promise.reject(new UnavailableError('fetching the signing keys failed', 'auth-unavailable')),
};

async function appWith(auth: ReturnType<typeof AuthModule.forRoot>): Promise<NestFastifyApplication> {
  @Module({ imports: [auth], controllers: [ProbeController] })
  class ProbeModule {}
  const app = await NestFactory.create<NestFastifyApplication>(ProbeModule, new FastifyAdapter(), { logger: false });
  app.useGlobalFilters(new ProblemDetailsFilter());
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}

describe(AuthModule.name, () => {
  let issuer: TestTokens;
  let sut: NestFastifyApplication | undefined;

  beforeEach(async () => {
    issuer = await TestTokens.create();
  });

  afterEach(async () => {
    await (sut as INestApplication | undefined)?.close();
    sut = undefined;
  });

  const get = (url: string, authorization?: string) =>
    sut!.getHttpAdapter().getInstance().inject({ method: 'GET', url, headers: authorization ? { authorization } : {} });

  it('guards every route globally and hands the principal to @CurrentPrincipal()', async () => {
    sut = await appWith(AuthModule.forRoot({ verifier: issuer.verifier }));
    const token = await issuer.sign({ subject: 'user-3', roles: ['support'] });

    const response = await get('/me', `Bearer ${token}`);

    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ subject: 'user-3', roles: ['support'], kind: 'user' });
  });

  it('maps missing credentials to 401, a missing role to 403 and lets public routes through', async () => {
    sut = await appWith(AuthModule.forRoot({ verifier: issuer.verifier }));

    const [anonymous, open, forbidden] = await Promise.all([get('/me'), get('/open'), get('/admin', `Bearer ${await issuer.sign()}`)]);

    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json()).toMatchObject({ code: 'missing-token' });
    expect(open.statusCode).toBe(200);
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.json()).toMatchObject({ code: 'missing-role', detail: 'missing role: admin' });
  });

  it('surfaces an auth outage as 503, never 401 or 403', async () => {
    sut = await appWith(AuthModule.forRoot({ verifier: down }));

    const response = await get('/me', `Bearer ${await issuer.sign()}`);

    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({ code: 'auth-unavailable' });
  });

  it('builds the verifier from injected options with forRootAsync', async () => {
    const OPTIONS = Symbol('options');
    @Module({ providers: [{ provide: OPTIONS, useValue: { verifier: issuer.verifier } }], exports: [OPTIONS] })
    class OptionsModule {}

    const context = await NestFactory.createApplicationContext(
      AuthModule.forRootAsync({ imports: [OptionsModule], inject: [OPTIONS], useFactory: (options: { verifier: TokenVerifier }) => options }),
      { logger: false },
    );

    expect(context.get(TOKEN_VERIFIER)).toBe(issuer.verifier);
    await context.close();
  });

  it('builds a JWKS verifier from URL options', async () => {
    const context = await NestFactory.createApplicationContext(AuthModule.forRoot({ jwksUrl: 'http://127.0.0.1:1/jwks.json', issuer: 'i', audience: 'a' }), {
      logger: false,
    });

    expect(context.get(TOKEN_VERIFIER)).toBeInstanceOf(JwtTokenVerifier);
    expect(context.get(MESSAGE_IDENTITY_VERIFIER)).toBeNull();
    await context.close();
  });

  it('refuses at boot to require service tokens it has no audience to verify', () => {
    expect(() => AuthModule.forRoot({ verifier: issuer.verifier, requireServiceToken: true })).toThrow(
      'auth: requireServiceToken needs a service-token verifier; set AUTH_SERVICE_AUDIENCE to this service name',
    );
  });

  describe('with service tokens required (the production setting)', () => {
    const service = (token: string) => ({ 'x-service-authorization': `Bearer ${token}` });
    const request = (url: string, headers: Record<string, string>) => sut!.getHttpAdapter().getInstance().inject({ method: 'GET', url, headers });

    beforeEach(async () => {
      sut = await appWith(AuthModule.forRoot({ verifier: issuer.verifier, serviceAudience: 'orders', requireServiceToken: true }));
    });

    it('accepts a user call relayed with a service token for this audience and exposes both principals', async () => {
      const response = await request('/me', { authorization: `Bearer ${await issuer.sign({ subject: 'user-3' })}`, ...service(await issuer.signService({ clientId: 'gateway', audience: 'orders' })) });

      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({ subject: 'user-3', kind: 'user' });
    });

    it('refuses a direct call (no service token) with 401, even on a @Public() route', async () => {
      const [direct, open] = await Promise.all([request('/me', { authorization: `Bearer ${await issuer.sign()}` }), request('/open', {})]);

      for (const response of [direct, open]) {
        expect(response.statusCode).toBe(401);
        expect(response.json()).toMatchObject({ code: 'missing-service-token', detail: 'missing x-service-authorization header' });
      }
    });

    it('lets an @Anonymous() route through with no credentials at all', async () => {
      expect((await request('/probe', {})).statusCode).toBe(200);
    });

    it('refuses a service token for another audience, and a user token in the service header', async () => {
      const [otherAudience, userToken] = await Promise.all([
        request('/open', service(await issuer.signService({ audience: 'catalog' }))),
        request('/open', service(await issuer.sign())),
      ]);

      expect(otherAudience.json()).toMatchObject({ status: 401, code: 'invalid-token', detail: 'service token: audience mismatch' });
      expect(userToken.json()).toMatchObject({ status: 401, code: 'invalid-token', detail: 'service token: token type must be service+jwt' });
    });

    it('answers a service-only route for a service caller, with @Permissions checked on the service', async () => {
      const allowed = await issuer.signService({ clientId: 'catalog', audience: 'orders', claims: { permissions: ['orders:internal:read'] } });
      const bare = await issuer.signService({ clientId: 'catalog', audience: 'orders' });

      const [ok, forbidden] = await Promise.all([request('/internal', service(allowed)), request('/internal', service(bare))]);

      expect(ok.statusCode).toBe(200);
      expect(ok.json()).toMatchObject({ subject: 'catalog', kind: 'service' });
      expect(forbidden.statusCode).toBe(403);
      expect(forbidden.json()).toMatchObject({ code: 'missing-permission' });
    });
  });
});
