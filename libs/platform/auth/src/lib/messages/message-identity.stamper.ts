import { DEFAULT_MESSAGE_AUDIENCE, type MessageIdentity, type ServiceTokenSource } from './message-identity';

/**
 * Publishing side: attaches a signed identity to an envelope before it goes to the outbox. With
 * `onBehalfOf` (the end user's access token from the request) the message says "service X, for user Y";
 * without it, "service X". The user's access token itself never goes into the message.
 */
export class MessageIdentityStamper {
  constructor(
    private readonly tokens: ServiceTokenSource,
    private readonly audience: string = DEFAULT_MESSAGE_AUDIENCE,
  ) {}

  /** Returns a copy of `envelope` with `identity` set. */
  async stamp<E extends object>(envelope: E, options: { onBehalfOf?: string } = {}): Promise<E & { identity: MessageIdentity }> {
    const token = options.onBehalfOf === undefined ? await this.tokens.token(this.audience) : await this.tokens.onBehalfOf(options.onBehalfOf, this.audience);
    return { ...envelope, identity: { token } };
  }

  /**
   * Signs, as this service, each of `envelopes` that carries no identity yet (one token for the batch);
   * the ones already signed (e.g. on behalf of a user) are left as they are. This is the outbox relay's
   * `signer` (`MessagingModule.forRoot({ signer })`): messages are signed as they leave, outside any
   * database transaction, and an identity outage only holds them in the outbox until it is over.
   */
  async sign<E extends object>(envelopes: readonly E[]): Promise<(E & { identity: MessageIdentity })[]> {
    if (envelopes.every(hasIdentity)) return [...envelopes];
    const identity: MessageIdentity = { token: await this.tokens.token(this.audience) };
    return envelopes.map((envelope) => (hasIdentity(envelope) ? envelope : { ...envelope, identity }));
  }
}

function hasIdentity<E extends object>(envelope: E): envelope is E & { identity: MessageIdentity } {
  const identity = (envelope as { identity?: { token?: unknown } }).identity;
  return typeof identity?.token === 'string' && identity.token.length > 0;
}
