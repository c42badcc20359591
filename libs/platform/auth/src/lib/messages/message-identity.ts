/**
 * The signed identity a message carries, as the envelope's optional `identity` field. `token` is a
 * service token (`typ: service+jwt`) issued by identity for the messaging audience: either the
 * publisher's own (`sub` = the service) or an on-behalf-of token (`sub` = the user, `act.sub` = the service).
 */
export interface MessageIdentity {
  readonly token: string;
}

/**
 * The least of a message envelope this lib needs, written structurally so auth does not depend on
 * `@nestkit/messaging`: its `Envelope` satisfies it once it has the optional `identity` field.
 */
export interface IdentifiedMessage {
  /** ISO-8601 instant the producer created the message; the identity is judged as of then. */
  readonly occurredAt: string;
  /** The service that says it produced the message; when present, it must be the one that signed it. */
  readonly producer?: string;
  readonly identity?: MessageIdentity;
}

/** Where a service gets the tokens it signs messages (and service calls) with. */
export interface ServiceTokenSource {
  /** This service's own token for `audience` (one of its allowed audiences; all of them when omitted). */
  token(audience?: string): Promise<string>;
  /** A token for `audience` that says this service acts for the holder of `userToken` (RFC 8693 exchange). */
  onBehalfOf(userToken: string, audience?: string): Promise<string>;
}

/** Default audience of message identities; identity must list it among a publishing client's audiences. */
export const DEFAULT_MESSAGE_AUDIENCE = 'nestkit-messaging';

/** True when `value` has the shape of an envelope that may carry an identity. */
export function isIdentifiedMessage(value: unknown): value is IdentifiedMessage {
  return typeof value === 'object' && value !== null && typeof (value as { occurredAt?: unknown }).occurredAt === 'string';
}
