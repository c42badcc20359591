import { Controller, Get, type INestApplication, Module, Req, UseGuards } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { PassportModule } from '@nestjs/passport';
import { ProblemDetailsFilter, UnavailableError } from '@nestkit/errors';
import { TestTokens } from '../../../testing';
import { RequestAuthenticator } from '../../authentication/request-authenticator';
import type { Principal } from '../../principal';
import type { TokenVerifier } from '../../token-verifier';
import { CurrentPrincipal, Permissions, Public } from '../auth.decorators';
import { REQUEST_AUTHENTICATOR } from '../auth.tokens';
import { NestkitJwtGuard, NestkitJwtStrategy } from './nestkit-jwt.strategy';

@UseGuards(NestkitJwtGuard)
@Controller()
class ProbeController {
  @Get('me')
  me(@CurrentPrincipal() principal: Principal, @Req() request: { user?: Principal }): { principal: Principal; user?: Principal } {
    return { principal, user: request.user };
  }

  @Public()
  @Get('open')
  open(): { ok: true } {
    return { ok: true };
  }

  @Permissions('orders:orders:read-any')
  @Get('all-orders')
  all(): { ok: true } {
    return { ok: true };
  }
}

async function appWith(verifier: TokenVerifier): Promise<NestFastifyApplication> {
  @Module({
    imports: [PassportModule],
    controllers: [ProbeController],
    providers: [{ provide: REQUEST_AUTHENTICATOR, useValue: new RequestAuthenticator({ userVerifier: verifier }) }, NestkitJwtStrategy],
  })
  class ProbeModule {}
  const app = await NestFactory.create<NestFastifyApplication>(ProbeModule, new FastifyAdapter(), { logger: false });
  app.useGlobalFilters(new ProblemDetailsFilter());
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}

describe(NestkitJwtStrategy.name, () => {
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

  it('authenticates through Passport as "nestkit-jwt" and sets request.user and @CurrentPrincipal()', async () => {
    sut = await appWith(issuer.verifier);

    const response = await get('/me', `Bearer ${await issuer.sign({ subject: 'user-8' })}`);

    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ principal: { subject: 'user-8', kind: 'user' }, user: { subject: 'user-8' } });
  });

  it('keeps the platform problem codes: 401 with the reason, not a bare Passport 401', async () => {
    sut = await appWith(issuer.verifier);

    const [missing, expired] = await Promise.all([get('/me'), get('/me', `Bearer ${await issuer.sign({ expiresIn: -60 })}`)]);

    expect(missing.statusCode).toBe(401);
    expect(missing.json()).toMatchObject({ code: 'missing-token', detail: 'missing Authorization header' });
    expect(expired.statusCode).toBe(401);
    expect(expired.json()).toMatchObject({ code: 'invalid-token', detail: 'token expired' });
  });

  it('honours @Public() and @Permissions()', async () => {
    sut = await appWith(issuer.verifier);

    const [open, forbidden] = await Promise.all([get('/open'), get('/all-orders', `Bearer ${await issuer.sign()}`)]);

    expect(open.statusCode).toBe(200);
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.json()).toMatchObject({ code: 'missing-permission' });
  });

  it('surfaces a key-source outage as 503, never 401', async () => {
    sut = await appWith({ verify: () => Promise.reject(new UnavailableError('fetching the signing keys failed', 'auth-unavailable')) });

    const response = await get('/me', `Bearer ${await issuer.sign()}`);

    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({ code: 'auth-unavailable' });
  });
});
