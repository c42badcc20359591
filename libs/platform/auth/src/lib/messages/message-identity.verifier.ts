import { UnauthenticatedError } from '@nestkit/errors';
import type { Principal } from '../principal';
import type { TokenVerifier } from '../token-verifier';
import type { IdentifiedMessage } from './message-identity';

/** How a consumer checks the identity on a message. */
export interface MessageIdentityVerifierOptions {
  /** A service-token verifier for the messaging audience (`verifier.derive({ tokenType: SERVICE_TOKEN_TYPE, audience })`). */
  verifier: TokenVerifier;
  /**
   * Oldest message whose identity is still judged as of its production time; default one day. Retries
   * and dead-letter replays within it verify; an older message (or a forged `occurredAt`) is refused.
   */
  maxAgeSec?: number;
  /** Allowed lead of `occurredAt` over this host's clock; default 5 seconds. */
  clockToleranceSec?: number;
  clock?: () => Date;
}

const DEFAULT_MAX_AGE_SEC = 24 * 3_600;

function refused(reason: string): UnauthenticatedError {
  return new UnauthenticatedError(`message identity: ${reason}`, 'invalid-message-identity');
}

/**
 * Consuming side: verifies the token on a message as of the message's `occurredAt` (so a redelivery after
 * the token expired still verifies) within `maxAgeSec`, and returns the principal: the user with the
 * publishing service as `actor`, or the publishing service itself.
 */
export class MessageIdentityVerifier {
  private readonly maxAgeMs: number;
  private readonly toleranceMs: number;

  constructor(private readonly options: MessageIdentityVerifierOptions) {
    this.maxAgeMs = (options.maxAgeSec ?? DEFAULT_MAX_AGE_SEC) * 1_000;
    this.toleranceMs = (options.clockToleranceSec ?? 5) * 1_000;
  }

  /**
   * Throws 401 (`missing-message-identity`, or `invalid-message-identity` for a bad token, a bad
   * `occurredAt`, a `producer` that is not the service that signed, or a signer not among `from`). A
   * key-source outage stays a 503. Pass `from` whenever only certain services may send the message:
   * a valid identity alone says who sent it, not that they may send this.
   */
  async verify(message: IdentifiedMessage, options: { from?: readonly string[] } = {}): Promise<Principal> {
    const token = message.identity?.token;
    if (typeof token !== 'string' || token.length === 0) {
      throw new UnauthenticatedError('message carries no identity', 'missing-message-identity');
    }
    const at = this.producedAt(message.occurredAt);
    let principal: Principal;
    try {
      principal = await this.options.verifier.verify(token, { at });
    } catch (error) {
      if (error instanceof UnauthenticatedError) throw refused(error.message);
      throw error;
    }
    // A service may publish for a user, never as another service.
    const signer = principal.actor?.subject ?? principal.subject;
    if (typeof message.producer === 'string' && message.producer !== signer) {
      throw refused(`signed by "${signer}", but the envelope names producer "${message.producer}"`);
    }
    if (options.from && !options.from.includes(signer)) {
      const allowed = options.from.length === 0 ? 'no service' : `only ${options.from.map((s) => `"${s}"`).join(', ')}`;
      throw refused(`signed by "${signer}", but ${allowed} may send it`);
    }
    return principal;
  }

  private producedAt(occurredAt: string): Date {
    const at = new Date(occurredAt);
    if (Number.isNaN(at.getTime())) throw refused('occurredAt is not an ISO-8601 instant');
    const now = (this.options.clock?.() ?? new Date()).getTime();
    if (at.getTime() > now + this.toleranceMs) throw refused('occurredAt is in the future');
    const ageMs = now - at.getTime();
    if (ageMs > this.maxAgeMs) throw refused(`message is ${Math.floor(ageMs / 1_000)} s old, more than the ${this.maxAgeMs / 1_000} s allowed`);
    return at;
  }
}
