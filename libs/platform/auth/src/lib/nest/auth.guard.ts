import { type CanActivate, type ExecutionContext, Inject, Injectable, Optional } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { UnauthenticatedError } from '@nestkit/errors';
import type { RequestAuthenticator } from '../authentication/request-authenticator';
import { authorize } from '../authorization/access-rule';
import type { MessageIdentityVerifier } from '../messages/message-identity.verifier';
import { accessRuleOf } from './access-rule.reader';
import type { AuthenticatedRequest } from './auth.decorators';
import { MESSAGE_IDENTITY_VERIFIER, REQUEST_AUTHENTICATOR } from './auth.tokens';
import { envelopeOf, rememberMessagePrincipal } from './message-principals';

/**
 * One guard for HTTP routes and message handlers. HTTP: verifies the end-user token (`Authorization`) and,
 * when configured, the calling service's token (`x-service-authorization`), then enforces `@Roles()` and
 * `@Permissions()`, unless the route is `@Public()`/`@Anonymous()`. Messages (`rpc` contexts): verifies the
 * envelope's signed `identity` when message identity is on, else lets them through. Failures are AppErrors,
 * mapped once at the edge: 401 bad credentials, 403 missing role or permission, 503 keys unreachable.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    @Inject(REQUEST_AUTHENTICATOR) private readonly authenticator: RequestAuthenticator,
    private readonly reflector: Reflector,
    @Optional() @Inject(MESSAGE_IDENTITY_VERIFIER) private readonly messages?: MessageIdentityVerifier,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() === 'http') return this.http(context);
    if (context.getType() === 'rpc') return this.message(context);
    return true;
  }

  private async http(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const { principal, caller } = await this.authenticator.authenticate(request.headers, accessRuleOf(this.reflector, context));
    if (principal) request.principal = principal;
    if (caller) request.caller = caller;
    return true;
  }

  private async message(context: ExecutionContext): Promise<boolean> {
    if (!this.messages) return true;
    const rule = accessRuleOf(this.reflector, context);
    if (rule.anonymous || rule.public) return true;
    const rpc = context.switchToRpc();
    const envelope = envelopeOf(rpc.getData(), rpc.getContext());
    if (!envelope) throw new UnauthenticatedError('no message envelope found to read the identity from', 'missing-message-identity');
    const principal = await this.messages.verify(envelope);
    authorize(principal, rule);
    rememberMessagePrincipal(envelope, principal);
    return true;
  }
}
