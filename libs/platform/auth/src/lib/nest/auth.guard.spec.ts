import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ForbiddenError, UnauthenticatedError } from '@nestkit/errors';
import { TestTokens } from '../../testing';
import { type AuthenticatedRequest, Public, Roles } from './auth.decorators';
import { AuthGuard } from './auth.guard';

class OrdersController {
  list(): string {
    return 'list';
  }
  @Public()
  health(): string {
    return 'health';
  }
  @Roles('admin')
  purge(): string {
    return 'purge';
  }
}

@Roles('admin')
class AdminController {
  stats(): string {
    return 'stats';
  }
  @Roles('support')
  tickets(): string {
    return 'tickets';
  }
}

@Public()
class DocsController {
  index(): string {
    return 'index';
  }
}

type Handler = (...args: never[]) => unknown;

function httpContext(controller: new () => object, handler: Handler, request: AuthenticatedRequest): ExecutionContext {
  return {
    getType: () => 'http',
    getClass: () => controller,
    getHandler: () => handler,
    switchToHttp: () => ({ getRequest: () => request }),
  } as unknown as ExecutionContext;
}

describe(AuthGuard.name, () => {
  let issuer: TestTokens;
  let sut: AuthGuard;

  beforeEach(async () => {
    issuer = await TestTokens.create();
    sut = new AuthGuard(issuer.verifier, new Reflector());
  });

  const bearer = async (roles: string[] = []) => ({ headers: { authorization: `Bearer ${await issuer.sign({ subject: 'user-5', roles })}` } });

  it('attaches the verified principal to the request', async () => {
    const request: AuthenticatedRequest = await bearer(['support']);

    await expect(sut.canActivate(httpContext(OrdersController, OrdersController.prototype.list, request))).resolves.toBe(true);
    expect(request.principal).toMatchObject({ subject: 'user-5', roles: ['support'], kind: 'user' });
  });

  it('lets a @Public() handler or controller through without a token', async () => {
    const request: AuthenticatedRequest = { headers: {} };

    await expect(sut.canActivate(httpContext(OrdersController, OrdersController.prototype.health, request))).resolves.toBe(true);
    await expect(sut.canActivate(httpContext(DocsController, DocsController.prototype.index, request))).resolves.toBe(true);
    expect(request.principal).toBeUndefined();
  });

  it('answers a missing header with 401 missing-token', async () => {
    const context = httpContext(OrdersController, OrdersController.prototype.list, { headers: {} });

    await expect(sut.canActivate(context)).rejects.toThrow(new UnauthenticatedError('missing Authorization header', 'missing-token'));
  });

  it('answers another scheme with 401', async () => {
    const context = httpContext(OrdersController, OrdersController.prototype.list, { headers: { authorization: 'Basic dXNlcjpwYXNz' } });

    await expect(sut.canActivate(context)).rejects.toThrow(UnauthenticatedError);
  });

  it('answers an invalid token with 401 invalid-token', async () => {
    const context = httpContext(OrdersController, OrdersController.prototype.list, { headers: { authorization: 'Bearer nope' } });

    await expect(sut.canActivate(context)).rejects.toMatchObject({ kind: 'unauthenticated', code: 'invalid-token' });
  });

  it('answers a missing role with 403 naming it', async () => {
    const context = httpContext(OrdersController, OrdersController.prototype.purge, await bearer(['support']));

    await expect(sut.canActivate(context)).rejects.toThrow(new ForbiddenError('missing role: admin', 'missing-role'));
  });

  it('applies controller roles, replaced by handler roles', async () => {
    const support = await bearer(['support']);

    await expect(sut.canActivate(httpContext(AdminController, AdminController.prototype.stats, support))).rejects.toThrow('missing role: admin');
    await expect(sut.canActivate(httpContext(AdminController, AdminController.prototype.tickets, support))).resolves.toBe(true);
  });

  it('leaves non-HTTP contexts alone', async () => {
    const context = { getType: () => 'rpc' } as unknown as ExecutionContext;

    await expect(sut.canActivate(context)).resolves.toBe(true);
  });
});
