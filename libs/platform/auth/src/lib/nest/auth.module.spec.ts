import { Controller, Get, type INestApplication, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { ProblemDetailsFilter, UnavailableError } from '@nestkit/errors';
import { TestTokens } from '../../testing';
import type { Principal } from '../principal';
import type { TokenVerifier } from '../token-verifier';
import { JwtTokenVerifier } from '../verification/jwt.token-verifier';
import { CurrentPrincipal, Public, Roles } from './auth.decorators';
import { AuthModule } from './auth.module';
import { TOKEN_VERIFIER } from './auth.tokens';

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

  it('builds a JWKS verifier from URL options', () => {
    const module = AuthModule.forRoot({ jwksUrl: 'http://127.0.0.1:1/jwks.json', issuer: 'i', audience: 'a' });

    expect(module.providers).toContainEqual({ provide: TOKEN_VERIFIER, useValue: expect.any(JwtTokenVerifier) });
  });
});
