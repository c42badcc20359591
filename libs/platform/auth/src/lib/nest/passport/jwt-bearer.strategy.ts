import { Strategy } from 'passport';
import type { RequestAuthenticator } from '../../authentication/request-authenticator';
import type { AccessRule } from '../../authorization/access-rule';
import type { Principal } from '../../principal';

/** Passport's verify callback: accept (or replace) the verified principal, or fail with an error. */
export type JwtBearerVerify = (principal: Principal, done: (error: unknown, user?: unknown) => void) => void;

/** `authenticate()` options: the access rule of the route (the Nest guard passes it). */
export interface JwtBearerAuthenticateOptions {
  rule?: AccessRule;
}

interface StrategyActions {
  success(user: unknown, info?: unknown): void;
  error(error: unknown): void;
}

type IncomingRequest = { headers: Record<string, string | string[] | undefined>; caller?: Principal };

/**
 * A Passport strategy (passport-strategy style, framework-free) that authenticates bearer tokens with the
 * platform's {@link RequestAuthenticator}: the same verifiers, JWKS cache, algorithm allow-list and
 * service-token rules as the guard. Every failure goes to `error()`, never `fail()`, so a bad token stays
 * a 401 with its reason and an unreachable JWKS stays a 503 instead of Passport's bare 401.
 */
export class JwtBearerStrategy extends Strategy {
  override name = 'nestkit-jwt';

  constructor(
    private readonly authenticator: RequestAuthenticator,
    private readonly verify: JwtBearerVerify,
  ) {
    super();
  }

  override authenticate(request: IncomingRequest, options: JwtBearerAuthenticateOptions = {}): void {
    const actions = this as unknown as StrategyActions;
    this.authenticator.authenticate(request.headers, options.rule ?? {}).then(
      ({ principal, caller }) => {
        if (caller) request.caller = caller;
        if (!principal) return actions.success(undefined);
        this.verify(principal, (error, user) => (error ? actions.error(error) : actions.success(user ?? principal)));
      },
      (error: unknown) => actions.error(error),
    );
  }
}
