import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ForbiddenError, UnauthenticatedError } from '@nestkit/errors';
import { TestTokens } from '../../testing';
import { RequestAuthenticator } from '../authentication/request-authenticator';
import { MessageIdentityVerifier } from '../messages/message-identity.verifier';
import { type AuthenticatedRequest, Permissions, Public, Roles } from './auth.decorators';
import { AuthGuard } from './auth.guard';
import { messagePrincipalOf } from './message-principals';

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
  @Permissions('orders:orders:read-any', 'orders:orders:export')
  export(): string {
    return 'export';
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

class OrderEventsHandler {
  onPlaced(): string {
    return 'placed';
  }
  @Public()
  onPing(): string {
    return 'ping';
  }
  @Roles('admin')
  onPurge(): string {
    return 'purge';
  }
}

function rpcContext(controller: new () => object, handler: Handler, data: unknown, ctx: unknown): ExecutionContext {
  return {
    getType: () => 'rpc',
    getClass: () => controller,
    getHandler: () => handler,
    switchToRpc: () => ({ getData: () => data, getContext: () => ctx }),
  } as unknown as ExecutionContext;
}

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
    sut = new AuthGuard(new RequestAuthenticator({ userVerifier: issuer.verifier }), new Reflector());
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

  it('requires every @Permissions() entry and names the missing ones in a 403', async () => {
    const partial = { headers: { authorization: `Bearer ${await issuer.sign({ claims: { permissions: ['orders:orders:read-any'] } })}` } };
    const full = { headers: { authorization: `Bearer ${await issuer.sign({ claims: { permissions: ['orders:orders:read-any', 'orders:orders:export'] } })}` } };

    await expect(sut.canActivate(httpContext(OrdersController, OrdersController.prototype.export, partial))).rejects.toThrow(
      new ForbiddenError('missing permission: orders:orders:export', 'missing-permission'),
    );
    await expect(sut.canActivate(httpContext(OrdersController, OrdersController.prototype.export, full))).resolves.toBe(true);
  });

  it('leaves message handlers alone while message identity is off (the default)', async () => {
    const context = rpcContext(OrderEventsHandler, OrderEventsHandler.prototype.onPlaced, {}, {});

    await expect(sut.canActivate(context)).resolves.toBe(true);
  });

  describe('on message handlers, with message identity on', () => {
    const now = new Date('2030-01-01T00:00:00Z');
    let tokens: TestTokens;

    beforeEach(async () => {
      tokens = await TestTokens.create({ now: () => now });
      const messages = new MessageIdentityVerifier({ verifier: tokens.serviceVerifier('nestkit-messaging'), clock: () => now });
      sut = new AuthGuard(new RequestAuthenticator({ userVerifier: tokens.verifier }), new Reflector(), messages);
    });

    const envelope = async (claims: Record<string, unknown> = {}) => ({
      id: 'm-1',
      occurredAt: now.toISOString(),
      identity: { token: await tokens.signService({ audience: 'nestkit-messaging', claims }) },
    });

    it('verifies the envelope identity from the transport context and remembers the principal', async () => {
      const message = await envelope();
      const ctx = { getEnvelope: () => message };

      await expect(sut.canActivate(rpcContext(OrderEventsHandler, OrderEventsHandler.prototype.onPlaced, { orderId: 'o-1' }, ctx))).resolves.toBe(true);
      expect(messagePrincipalOf({ orderId: 'o-1' }, ctx)).toMatchObject({ subject: 'orders', kind: 'service' });
    });

    it('refuses a message without identity with 401 and lets a @Public() handler through', async () => {
      const bare = { id: 'm-2', occurredAt: now.toISOString() };

      await expect(sut.canActivate(rpcContext(OrderEventsHandler, OrderEventsHandler.prototype.onPlaced, bare, {}))).rejects.toMatchObject({
        kind: 'unauthenticated',
        code: 'missing-message-identity',
      });
      await expect(sut.canActivate(rpcContext(OrderEventsHandler, OrderEventsHandler.prototype.onPing, bare, {}))).resolves.toBe(true);
    });

    it('applies @Roles() to the message principal', async () => {
      const context = rpcContext(OrderEventsHandler, OrderEventsHandler.prototype.onPurge, await envelope(), {});

      await expect(sut.canActivate(context)).rejects.toThrow(new ForbiddenError('missing role: admin', 'missing-role'));
    });
  });
});
